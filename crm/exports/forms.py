"""The export page's forms: they parse; dossiers.services_exports decides and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers import exports
from dossiers.models import FormatExport
from dossiers.selectors_gestion import dispositifs_du_filtre


class DispositifForm(forms.Form):
    """Which dispositif's fields are offered as columns (a GET form: no JS needed)."""

    filtres = forms.CharField(required=False, widget=forms.HiddenInput)
    dispositif = forms.TypedChoiceField(
        label=_("Champs du formulaire de"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Ses champs s’ajoutent aux colonnes ; seuls ses dossiers les remplissent."),
    )

    def __init__(self, *args, agent=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The agent's dispositifs only: another's title or fields are not shown (C7).
        self.fields["dispositif"].choices = [("", _("Aucun dispositif"))] + [
            (d.pk, d.titre) for d in dispositifs_du_filtre(agent)
        ]


class ExportForm(forms.Form):
    filtres = forms.CharField(required=False, widget=forms.HiddenInput)
    dispositif = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("Ce dispositif n’existe pas ; choisissez-le à nouveau.")
        },
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=FormatExport.choices,
        initial=FormatExport.CSV,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez un format."),
            "invalid_choice": _("Ce format n’est pas proposé."),
        },
    )
    colonnes = forms.MultipleChoiceField(
        label=_("Colonnes"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choisissez au moins une colonne."),
            "invalid_choice": _("La colonne « %(value)s » n’existe pas."),
        },
    )
    libelles = forms.ChoiceField(
        label=_("Valeurs des listes de choix"),
        choices=[
            ("libelles", _("Libellés (lisibles)")),
            ("cles", _("Clés (codes techniques, en-têtes en noms techniques)")),
        ],
        initial="libelles",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez libellés ou clés.")},
    )
    champ_date = forms.ChoiceField(
        label=_("Date des événements (format calendrier)"),
        required=False,
        help_text=_("Une date du formulaire, ou l’échéance de l’étape en cours du dossier."),
        error_messages={"invalid_choice": _("Ce champ date n’existe pas dans le formulaire.")},
    )

    def __init__(self, *args, dispositif=None, **kwargs):
        super().__init__(*args, **kwargs)
        modele = exports.modele_des_colonnes(dispositif)
        self.fields["colonnes"].choices = [
            (c.cle, c.libelle) for c in exports.COLONNES_STANDARD
        ] + [
            (c.cle, f"{c.libelle} ({c.cle.removeprefix(exports.PREFIXE_CHAMP)})")
            for c in exports.colonnes_du_modele(modele)
        ]
        self.fields["colonnes"].initial = list(exports.COLONNES_PAR_DEFAUT)
        self.fields["champ_date"].choices = [("", _("Échéance de l’étape en cours"))] + list(
            exports.champs_date(modele)
        )
        self.fields["dispositif"].choices = [("", "")] + (
            [(dispositif.pk, dispositif.titre)] if dispositif else []
        )
        self.initial.setdefault("dispositif", dispositif.pk if dispositif else None)

    def parametres(self) -> dict:
        donnees = self.cleaned_data
        return {
            "colonnes": donnees["colonnes"],
            "libelles": donnees["libelles"] == "libelles",
            "dispositif": donnees["dispositif"],
            "champ_date": donnees["champ_date"],
        }


class JetonForm(forms.Form):
    libelle = forms.CharField(
        label=_("Libellé"),
        max_length=100,
        help_text=_("Le système qui utilisera ce jeton, par exemple « Entrepôt de données »."),
        error_messages={"required": _("Donnez un libellé au jeton.")},
    )
