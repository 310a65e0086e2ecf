"""Forms of the CRM référentiel screens. They parse input; the rules stay in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.nombres import entier
from usagers.enums import TypeIndividu, TypeLien
from usagers.models import ADRESSE_FIELDS, Individu, NatureProfil, Profil, TypeProfil
from usagers.selectors import agents_actifs


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


TYPE_FIELDS = tuple(name for names in Individu.FIELDS_BY_TYPE.values() for name in names)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class FieldsetsMixin:
    """`fieldsets()` → [{id, legend, fields}], leaving out the fields the form removed."""

    FIELDSETS: tuple = ()

    def fieldsets(self) -> list[dict]:
        groups = []
        for key, legend, names in self.FIELDSETS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                groups.append({"id": f"champs-{key}", "legend": legend, "fields": fields})
        return groups


INDIVIDU_FIELDSETS = (
    (
        "identite",
        _("Identité"),
        (
            "type_individu",
            "civilite",
            "prenom",
            "nom",
            "nom_usage",
            "date_naissance",
            "lieu_naissance",
        ),
    ),
    ("coordonnees", _("Coordonnées"), ("email", "telephone_mobile", "telephone_fixe")),
    ("adresse", _("Adresse"), tuple(ADRESSE_FIELDS)),
    ("type", _("Informations propres au type"), TYPE_FIELDS),
    ("suivi", _("Suivi"), ("agent_referent",)),
    ("restreintes", _("Données restreintes"), Individu.RESTRICTED_FIELDS),
)


class IndividuForm(FieldsetsMixin, forms.ModelForm):
    """Every field of an individu but its account; the fields of its type only; the
    restricted fields only for agents allowed to see them."""

    FIELDSETS = INDIVIDU_FIELDSETS

    class Meta:
        model = Individu
        fields = [name for _key, _legend, names in INDIVIDU_FIELDSETS for name in names]
        widgets = {"date_naissance": DateInput()}

    def __init__(self, *args, voir_restreint: bool, type_individu: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_courant = self._type_courant(type_individu)
        for type_, names in Individu.FIELDS_BY_TYPE.items():
            if type_ != self.type_courant:
                for name in names:
                    del self.fields[name]
        if not voir_restreint:
            for name in Individu.RESTRICTED_FIELDS:
                del self.fields[name]
        self.fields["type_individu"].help_text = _(
            "Adulte, enfant ou contact : les informations demandées en dépendent."
        )
        self.fields["agent_referent"].queryset = agents_actifs()
        self.fields["agent_referent"].empty_label = _("Aucun agent référent")

    def _type_courant(self, type_individu: str | None) -> str:
        value = self.data.get("type_individu") if self.is_bound else type_individu
        value = value or self.initial.get("type_individu") or self.instance.type_individu
        return value if value in TypeIndividu.values else TypeIndividu.ADULTE


class ProfilForm(FieldsetsMixin, forms.ModelForm):
    FIELDSETS = (
        (
            "identification",
            _("Identification"),
            ("type_profil", "nature", "nom", "sigle", "siret", "siren", "rna"),
        ),
        ("coordonnees", _("Coordonnées"), ("email", "telephone", "site_web")),
        ("banque", _("Coordonnées bancaires"), ("iban", "bic")),
        ("adresse", _("Adresse"), tuple(ADRESSE_FIELDS)),
    )

    # Declared here so Django builds it with https as the default scheme (Django 6).
    site_web = forms.URLField(
        label=_("site internet"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("Exemple : https://www.exemple.fr"),
    )

    class Meta:
        model = Profil
        fields = ["type_profil", "nature", "nom", "sigle", "siret", "siren", "rna"]
        fields += ["email", "telephone", "iban", "bic", *ADRESSE_FIELDS]  # site_web: above
        help_texts = {
            "siret": _("14 chiffres, espaces permis (exemple : 732 829 320 00074)."),
            "siren": _("Déduit du SIRET s’il est laissé vide."),
            "rna": _("W suivi de 9 caractères (exemple : W751234567)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("type_profil")
        types = TypeProfil.objects.filter(actif=True, personnel=False)
        if current:
            types = TypeProfil.objects.filter(pk=current) | types
        self.fields["type_profil"].queryset = types.distinct()
        type_pk = self.data.get("type_profil") if self.is_bound else current
        self.fields["nature"].choices = self._natures(type_pk)

    def _natures(self, type_pk) -> list:
        """The natures of the chosen type; before a type is chosen, every nature grouped
        under its type, so the list stays readable without JavaScript."""
        natures = NatureProfil.objects.filter(actif=True).select_related("type_profil")
        if (type_id := entier(type_pk)) is not None:
            natures = natures.filter(type_profil_id=type_id)
            return [("", _("Aucune nature")), *((n.pk, n.libelle) for n in natures)]
        groups: dict[str, list] = {}
        for nature in natures.order_by("type_profil__ordre", "type_profil__libelle", "ordre"):
            groups.setdefault(nature.type_profil.libelle, []).append((nature.pk, nature.libelle))
        return [("", _("Aucune nature")), *groups.items()]


class AssignationForm(forms.Form):
    individus = forms.ModelMultipleChoiceField(
        queryset=Individu.objects.all(),
        error_messages={"required": _("Cochez au moins un individu à assigner.")},
    )
    agent = forms.ModelChoiceField(
        label=_("Agent référent"),
        queryset=User.objects.none(),
        empty_label=_("Choisir un agent"),
        error_messages={"required": _("Choisissez l’agent à qui assigner les individus.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents_actifs()


class LienParenteForm(forms.Form):
    """<individu> est <type_lien> de <apparente>; the apparenté is picked among the
    results of a name search made just before (a select, robust without JavaScript)."""

    type_lien = forms.ChoiceField(label=_("Lien"), choices=TypeLien.choices)
    apparente = forms.ModelChoiceField(
        label=_("Personne liée"),
        queryset=Individu.objects.all(),
        error_messages={
            "required": _("Choisissez la personne à lier parmi les résultats."),
            "invalid_choice": _("Cette personne n’existe plus : relancez la recherche."),
        },
    )

    def __init__(self, *args, candidats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["apparente"].choices = [
            ("", _("Choisir une personne")),
            *((c.pk, libelle_candidat(c)) for c in candidats),
        ]


def libelle_candidat(individu: Individu) -> str:
    parts = [individu.nom_complet]
    if individu.date_naissance:
        parts.append(
            _("né(e) le %(date)s") % {"date": individu.date_naissance.strftime("%d/%m/%Y")}
        )
    if individu.commune:
        parts.append(individu.commune)
    return " — ".join(str(p) for p in parts)


class FusionForm(forms.Form):
    conserver = forms.TypedChoiceField(
        label=_("Fiche à conserver"),
        coerce=int,
        widget=forms.HiddenInput,
        error_messages={"required": _("Choisissez la fiche à conserver.")},
    )

    def __init__(self, *args, choix=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conserver"].choices = list(choix)
