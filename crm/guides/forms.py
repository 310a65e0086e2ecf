"""Forms of the guide builder. The statut and étape forms take their choices (the
version's étapes and statuts) from the lists the page already holds: rendering one form
per statut costs no query."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from instruction import actions
from instruction.models import Couleur, Etape, Statut

TAILLE_MAX_IMPORT = 1024 * 1024


class EtapeAjoutForm(forms.Form):
    libelle = forms.CharField(label=_("Libellé de la nouvelle étape"), max_length=150)


class EtapeForm(forms.Form):
    libelle = forms.CharField(label=_("Libellé"), max_length=150)
    couleur = forms.ChoiceField(label=_("Couleur"), choices=Couleur.choices, required=False)
    duree_cible = forms.IntegerField(
        label=_("Durée cible (jours)"),
        min_value=0,
        max_value=32767,
        required=False,
        help_text=Etape._meta.get_field("duree_cible").help_text,
    )
    aide = forms.CharField(
        label=_("Aide pour les agents"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    @classmethod
    def depuis(cls, etape: Etape, **kwargs):
        return cls(
            initial={
                "libelle": etape.libelle,
                "couleur": etape.couleur,
                "duree_cible": etape.duree_cible,
                "aide": etape.aide,
            },
            **kwargs,
        )


class StatutAjoutForm(forms.Form):
    libelle = forms.CharField(label=_("Libellé du nouveau statut"), max_length=150)
    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        required=False,
        help_text=_("Vide : tiré du libellé."),
    )


class StatutForm(forms.Form):
    """Every property of a statut, its étape and its allowed next statuts."""

    etape = forms.TypedChoiceField(label=_("Étape"), coerce=int)
    code = forms.SlugField(label=_("Code"), max_length=50)
    libelle = forms.CharField(label=_("Libellé agent"), max_length=150)
    libelle_usager = forms.CharField(
        label=_("Libellé usager"),
        max_length=200,
        required=False,
        help_text=Statut._meta.get_field("libelle_usager").help_text,
    )
    libelle_bouton = forms.CharField(
        label=_("Libellé du bouton d’action"),
        max_length=80,
        required=False,
        help_text=Statut._meta.get_field("libelle_bouton").help_text,
    )
    couleur = forms.ChoiceField(label=_("Couleur"), choices=Couleur.choices, required=False)
    icone = forms.CharField(
        label=_("Icône"),
        max_length=60,
        required=False,
        help_text=Statut._meta.get_field("icone").help_text,
    )
    initial = forms.BooleanField(
        label=_("Statut initial (celui d’un dossier déposé)"), required=False
    )
    avance = forms.BooleanField(label=_("Fait avancer la ligne de vie"), required=False)
    cloture = forms.BooleanField(label=_("Clôture le dossier"), required=False)
    masque = forms.BooleanField(label=_("Masqué du choix manuel"), required=False)
    motif_obligatoire = forms.BooleanField(label=_("Motif obligatoire"), required=False)
    visible_partenaires = forms.BooleanField(label=_("Visible des partenaires"), required=False)
    modifiable_usager = forms.BooleanField(label=_("Modifiable par l’usager"), required=False)
    suivants = forms.TypedMultipleChoiceField(
        label=_("Statuts suivants permis"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun coché : tout statut de la version."),
    )

    PROPRIETES = (
        "code",
        "libelle",
        "libelle_usager",
        "libelle_bouton",
        "couleur",
        "icone",
        "initial",
        "avance",
        "cloture",
        "masque",
        "motif_obligatoire",
        "visible_partenaires",
        "modifiable_usager",
    )

    def __init__(self, *args, etapes, statuts, statut_pk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["etape"].choices = [(e.pk, e.libelle) for e in etapes]
        self.fields["suivants"].choices = [(s.pk, s.libelle) for s in statuts if s.pk != statut_pk]

    @classmethod
    def depuis(cls, statut: Statut, *, etapes, statuts, suivants, **kwargs):
        initial = {nom: getattr(statut, nom) for nom in cls.PROPRIETES}
        initial.update(etape=statut.etape_id, suivants=suivants)
        return cls(initial=initial, etapes=etapes, statuts=statuts, statut_pk=statut.pk, **kwargs)

    def proprietes(self) -> dict:
        return {nom: self.cleaned_data[nom] for nom in self.PROPRIETES}


class TypeActionForm(forms.Form):
    type = forms.ChoiceField(label=_("Type d’action"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Choisir un type"))] + actions.choix()


def config_form(type_, *, data=None, config=None, prefix=None) -> forms.Form:
    """The type's own config form: bound to posted data, or showing a saved config."""
    if data is not None:
        return type_.form_class(data=data, prefix=prefix)
    initial = {}
    for nom, valeur in (config or {}).items():
        # JSON values are shown as JSON text (a JSONField's widget expects it).
        champ = type_.form_class.base_fields.get(nom)
        if isinstance(champ, forms.JSONField) and not isinstance(valeur, str):
            valeur = json.dumps(valeur, ensure_ascii=False)
        initial[nom] = valeur
    return type_.form_class(initial=initial, prefix=prefix)


class ImportForm(forms.Form):
    fichier = forms.FileField(
        label=_("Fichier JSON d’un guide exporté par Guichet"),
        help_text=_("1 Mo au plus."),
    )

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > TAILLE_MAX_IMPORT:
            raise ValidationError(_("Le fichier dépasse 1 Mo."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ValidationError(_("Ce fichier n’est pas un JSON valide.")) from None


class PublierForm(forms.Form):
    """Nothing to fill: a form for the CSRF token and a POST."""
