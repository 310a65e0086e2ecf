"""Forms of the agent's dossier pages: they parse input; the rules stay in
dossiers.services_gestion."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.nombres import entier
from dossiers.models import Dispositif, Dossier
from dossiers.selectors_droits import agents_pour_attribuer
from dossiers.selectors_gestion import (
    agents_instructeurs,
    classements_actifs,
    dispositifs_du_filtre,
    territoires_du_filtre,
)
from editique.models import DocumentGenere, ModeleDocument


def apply_errors(form: forms.Form, error: ValidationError, champ: str | None = None) -> None:
    """A service's refusal next to the field it concerns: the fields it names, else the
    field of its code, else `champ`, else above the form."""
    if hasattr(error, "error_dict"):
        for nom, erreurs in error.error_dict.items():
            form.add_error(nom if nom in form.fields else champ, erreurs)
        return
    code = getattr(error, "code", None)
    form.add_error(code if code in form.fields else champ, error.messages)


class IdentifiantDuFiltre(forms.TypedChoiceField):
    """A filter offering the agent's own choices that still accepts any other id (a
    forged or stale link): the scoped query then finds nothing, rather than the form
    dropping the filter and listing everything (C7, C8)."""

    def valid_value(self, value):
        return entier(value) is not None


class FiltresForm(forms.Form):
    """The list's former filters, kept for the pages that take the same parameters (the
    map, C9); the list itself uses forms_liste.ListeForm."""

    q = forms.CharField(label=_("Référence ou nom du demandeur"), required=False, max_length=100)
    dispositif = IdentifiantDuFiltre(
        label=_("Dispositif"), required=False, coerce=int, empty_value=None
    )
    drapeau = forms.ChoiceField(
        label=_("Marque"),
        required=False,
        choices=[
            ("", _("Toutes")),
            ("prioritaire", _("Prioritaires")),
            ("urgent", _("Urgents")),
            ("signale", _("Signalés")),
            ("doublon", _("Doublons")),
        ],
    )
    attribution = forms.ChoiceField(
        label=_("Agent chargé"),
        required=False,
        choices=[("", _("Tous")), ("moi", _("Moi")), ("aucun", _("Personne"))],
    )

    territoire = IdentifiantDuFiltre(
        label=_("Territoire"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, agent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispositif"].choices = [("", _("Tous"))] + [
            (d.pk, d.titre) for d in dispositifs_du_filtre(agent)
        ]
        territoires = territoires_du_filtre(agent) if agent is not None else []
        if territoires:
            self.fields["territoire"].choices = [("", _("Tous")), *territoires]
        else:  # no territoire configured: no filter to offer
            del self.fields["territoire"]


class _FormulaireDeSynthese(forms.Form):
    """The Synthèse page shows several forms: each its own ids."""

    # Built for one dossier (its options depend on it).
    avec_dossier = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{type(self).__name__.lower()}_%s")
        super().__init__(*args, **kwargs)


class AttribuerForm(_FormulaireDeSynthese):
    """The agents offered may instruct this dossier (C7, C8: its dispositif and its
    territoire); the service refuses any other with the reason."""

    agent = forms.ModelChoiceField(
        label=_("Agent chargé du dossier"),
        queryset=agents_instructeurs(),
        required=False,
        empty_label=_("Personne"),
        error_messages={
            "invalid_choice": _(
                "Cet agent ne peut pas instruire ce dossier : choisissez un agent de la liste."
            )
        },
    )

    avec_dossier = True

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossier is not None:
            # The current agent stays offered (and selected) after losing the right:
            # keeping them is no new assignment; choosing another still needs the right.
            champ = self.fields["agent"]
            champ.queryset = agents_pour_attribuer(dossier)
            champ.label_from_instance = _libelle_agent


def _libelle_agent(agent) -> str:
    if getattr(agent, "peut_instruire", True):
        return str(agent)
    return _("%(agent)s (sans droit d’instruire ce dossier)") % {"agent": agent}


class ClasserForm(_FormulaireDeSynthese):
    classement = forms.TypedChoiceField(
        label=_("Classement"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.noeuds = {c.pk: c for c in classements_actifs()}
        self.fields["classement"].choices = [("", _("Aucun"))] + [
            (pk, " › ".join(n.libelle for n in c.chemin())) for pk, c in self.noeuds.items()
        ]

    def clean_classement(self):
        pk = self.cleaned_data["classement"]
        return self.noeuds.get(pk) if pk else None


class DrapeauxForm(_FormulaireDeSynthese):
    prioritaire = forms.BooleanField(label=_("Prioritaire"), required=False)
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    signale = forms.BooleanField(label=_("Signalé"), required=False)


class ParentForm(_FormulaireDeSynthese):
    reference = forms.CharField(
        label=_("Référence du dossier parent"),
        required=False,
        max_length=40,
        help_text=_("Par exemple 2026-SUB-000123. Laissée vide : plus de dossier parent."),
    )


class DoublonForm(_FormulaireDeSynthese):
    reference = forms.CharField(
        label=_("Doublon du dossier (référence)"),
        required=False,
        max_length=40,
        help_text=_("Par exemple 2026-SUB-000123."),
    )


class CorrigerForm(forms.Form):
    """Dispositif, étape, statut and the demandeur's coordinates, with a reason."""

    motif = forms.CharField(
        label=_("Motif de la correction"),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Indiquez le motif de la correction.")},
    )
    dispositif = forms.ModelChoiceField(
        label=_("Dispositif"), queryset=Dispositif.objects.order_by("titre"), empty_label=None
    )
    etape_courante = forms.IntegerField(label=_("Étape courante"), min_value=0)
    statut = forms.ChoiceField(
        label=_("Statut"),
        choices=[(s.value, s.label) for s in Dossier.Statut if s != Dossier.Statut.BROUILLON],
    )

    LIBELLES = {
        "email": _("Adresse électronique"),
        "telephone": _("Téléphone"),
        "telephone_mobile": _("Téléphone mobile"),
        "telephone_fixe": _("Téléphone fixe"),
        "adresse": _("Numéro et voie"),
        "complement_adresse": _("Complément d’adresse"),
        "code_postal": _("Code postal"),
        "commune": _("Commune"),
    }

    def __init__(self, *args, dossier: Dossier, coordonnees: dict, **kwargs):
        initial = {
            "dispositif": dossier.dispositif_id,
            "etape_courante": dossier.etape_courante,
            "statut": dossier.statut,
            **coordonnees,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.noms_coordonnees = list(coordonnees)
        for nom in self.noms_coordonnees:
            champ = forms.EmailField if nom == "email" else forms.CharField
            self.fields[nom] = champ(label=self.LIBELLES[nom], required=False, max_length=254)

    def coordonnees(self) -> dict:
        return {n: self.cleaned_data.get(n, "") for n in self.noms_coordonnees}


class DocumentForm(forms.Form):
    modele = forms.ModelChoiceField(
        label=_("Modèle de document"), queryset=ModeleDocument.objects.none()
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=DocumentGenere.Format.choices, initial="pdf"
    )

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modele"].queryset = (
            ModeleDocument.objects.filter(
                actif=True,
                contexte="dossier",
                versions__isnull=False,
                cible__in=["", dossier.dispositif.slug],
            )
            .distinct()
            .order_by("nom")
        )
