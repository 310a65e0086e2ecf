"""Official lists from official codes: commune, département, région, EPCI, pays.

The code is stored (INSEE code, SIREN, ISO 3166 alpha-2), so conditions and exports
compare codes; the name is displayed. Départements, régions and pays are drop-down lists
(≤ 250 options). Communes (~35 000) and EPCI (~1 250) are a text input: with JavaScript,
suggestions come from `/api/communes/` and `/api/epci/` (static/js/champs.js); without
it, what is typed ("Nantes", "nantes 44", "44109", "44000") is resolved on the server: one
match is stored, several are listed in the error so the usager can refine.

The data (dossiers/champs/donnees/) is read on first use, never at import.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from dossiers.champs.base import Definition
from dossiers.champs.donnees import territoires
from dossiers.champs.natifs.choix import MESSAGE_CHOIX_INCONNU
from dossiers.champs.natifs.communs import OptionsForm, Type
from dossiers.champs.registry import register

CANDIDATS_MAX = 10


def _choix_departements() -> list[tuple[str, str]]:
    return [
        ("", "—"),
        *((d.code, d.libelle) for d in territoires().departements_metropole_outre_mer),
    ]


def _choix_regions() -> list[tuple[str, str]]:
    return [("", "—"), *((r.code, r.libelle) for r in territoires().regions_metropole_outre_mer)]


class OptionsTerritoire(OptionsForm):
    """Restrict the answers to one département or one région (an admin's option)."""

    departement = forms.ChoiceField(
        label=_("Limiter à un département"), required=False, choices=_choix_departements
    )
    region = forms.ChoiceField(
        label=_("Limiter à une région"), required=False, choices=_choix_regions
    )


class _Liste(Type):
    """A drop-down list of codes; subclasses give `elements(options)` → [(code, label)]
    and `nom(code)` → the display name (None for an unknown code)."""

    categorie = "Choix"

    def elements(self, options: dict[str, Any]) -> list[tuple[str, str]]:
        raise NotImplementedError

    def nom(self, code: str) -> str | None:
        raise NotImplementedError

    def form_field(self, definition: Definition) -> forms.Field:
        choix = [("", _("Sélectionner une option")), *self.elements(self.options(definition))]
        return forms.ChoiceField(
            choices=choix,
            widget=forms.Select,
            **self.attributs(
                definition,
                required=_("Sélectionnez une réponse."),
                invalid_choice=MESSAGE_CHOIX_INCONNU,
            ),
        )

    def to_json(self, value: Any) -> str | None:
        return value or None

    def afficher(self, definition: Definition, valeur: str) -> str:
        return self.nom(valeur) or valeur

    def exporter(self, definition: Definition, valeur: str, *, libelles: bool) -> str:
        return self.afficher(definition, valeur) if libelles else valeur


@register
class Departement(_Liste):
    code = "departement"
    libelle = _("Département")

    class Options(OptionsForm):
        region = forms.ChoiceField(
            label=_("Limiter à une région"), required=False, choices=_choix_regions
        )

    def elements(self, options: dict[str, Any]) -> list[tuple[str, str]]:
        region = options.get("region")
        return [
            (d.code, d.libelle)
            for d in territoires().departements_metropole_outre_mer
            if not region or d.region == region
        ]

    def nom(self, code: str) -> str | None:
        departement = territoires().departements.get(code)
        return departement.affichage if departement else None


@register
class Region(_Liste):
    code = "region"
    libelle = _("Région")

    def elements(self, options: dict[str, Any]) -> list[tuple[str, str]]:
        return [(r.code, r.libelle) for r in territoires().regions_metropole_outre_mer]

    def nom(self, code: str) -> str | None:
        region = territoires().regions.get(code)
        return region.nom if region else None


@register
class Pays(_Liste):
    """ISO 3166 alpha-2 codes (django-countries), French names whatever the language."""

    code = "pays"
    libelle = _("Pays")

    def elements(self, options: dict[str, Any]) -> list[tuple[str, str]]:
        with translation.override("fr"):
            return [(code, str(nom)) for code, nom in countries]

    def nom(self, code: str) -> str | None:
        if not isinstance(code, str) or code.upper() != code or code not in countries:
            return None
        with translation.override("fr"):
            return str(countries.name(code))


class SaisieTerritoire(forms.TextInput):
    """A text input that the page turns into a combobox (static/js/champs.js), plus a
    hidden input holding the code, which live conditions read (data-champ)."""

    template_name = "forms/widgets/territoire.html"

    def __init__(self, *, url: str, filtres: dict[str, str], libelle_de, attrs=None) -> None:
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.url, self.filtres, self.libelle_de = url, filtres, libelle_de

    def format_value(self, value: Any) -> str | None:
        texte = super().format_value(value)
        return self.libelle_de(texte) or texte if texte else texte

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        texte = value if isinstance(value, str) else ""
        context["widget"]["code"] = texte if texte and self.libelle_de(texte) else ""
        attributs = context["widget"]["attrs"]
        attributs["data-champ"] = f"{name}__saisie"
        if self.url:
            attributs["data-territoire"] = self.url
            for cle, valeur in self.filtres.items():
                attributs[f"data-filtre-{cle}"] = valeur
        return context


class _Recherche(Type):
    """A code found from what is typed (commune, EPCI)."""

    categorie = "Choix"
    Options = OptionsTerritoire
    url_api: str
    exemple: str
    message_aucun: str
    message_plusieurs: str

    def trouver(self, code: str) -> Any:
        raise NotImplementedError

    def candidats(self, texte: str, options: dict[str, Any]) -> list[Any]:
        raise NotImplementedError

    def dans_le_perimetre(self, element: Any, options: dict[str, Any]) -> bool:
        raise NotImplementedError

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        try:
            url = reverse(self.url_api)
        except NoReverseMatch:  # the portal is not installed (a worker, a script)
            url = ""
        filtres = {cle: options[cle] for cle in ("departement", "region") if options.get(cle)}
        attributs = self.attributs(definition, max_length=_("Ce texte est trop long."))
        attributs["help_text"] = definition.aide or self.exemple
        return forms.CharField(
            max_length=200,
            widget=SaisieTerritoire(
                url=url,
                filtres=filtres,
                libelle_de=lambda code: e.libelle if (e := self.trouver(code)) else None,
            ),
            **attributs,
        )

    def clean(self, definition: Definition, raw: Any) -> Any:
        texte = super().clean(definition, raw)
        if not texte:
            return None
        options = self.options(definition)
        element = self.trouver(texte)
        trouves = [element] if element is not None else self.candidats(texte, options)
        trouves = [e for e in trouves if self.dans_le_perimetre(e, options)]
        if not trouves:
            raise ValidationError(self.message_aucun, code="inconnu", params={"texte": texte})
        if len(trouves) > 1:
            liste = ", ".join(e.libelle for e in trouves[:CANDIDATS_MAX])
            if len(trouves) > CANDIDATS_MAX:
                liste += str(_(" et %(n)d autres") % {"n": len(trouves) - CANDIDATS_MAX})
            raise ValidationError(
                self.message_plusieurs, code="ambigu", params={"texte": texte, "liste": liste}
            )
        return trouves[0].code

    def to_json(self, value: Any) -> str | None:
        return value or None

    def afficher(self, definition: Definition, valeur: str) -> str:
        element = self.trouver(valeur)
        return element.affichage if element else valeur

    def exporter(self, definition: Definition, valeur: str, *, libelles: bool) -> str:
        return self.afficher(definition, valeur) if libelles else valeur

    def variable(self, definition: Definition, stored: Any) -> Any:
        element = self.trouver(stored) if isinstance(stored, str) else None
        return element.nom if element else self.affichage(definition, stored)


@register
class Commune(_Recherche):
    """Stored: the INSEE code ("44109"); displayed "Nantes (44)"."""

    code = "commune"
    libelle = _("Commune")
    url_api = "portal:api_communes"
    exemple = _("Saisissez le nom ou le code postal, puis choisissez (exemple : Nantes 44000).")
    message_aucun = _(
        "Aucune commune ne correspond à « %(texte)s » : vérifiez l’orthographe, ou saisissez "
        "son code postal."
    )
    message_plusieurs = _(
        "Plusieurs communes correspondent à « %(texte)s » : %(liste)s. Précisez en ajoutant "
        "le code postal (exemple : « Saint-Denis 93200 »)."
    )

    def trouver(self, code: str) -> Any:
        return territoires().communes.get(code) if isinstance(code, str) else None

    def candidats(self, texte: str, options: dict[str, Any]) -> list[Any]:
        return territoires().communes_candidates(
            texte, departement=options.get("departement") or "", region=options.get("region") or ""
        )

    def dans_le_perimetre(self, element: Any, options: dict[str, Any]) -> bool:
        return (
            not options.get("departement") or element.departement == options["departement"]
        ) and (not options.get("region") or element.region == options["region"])


@register
class Epci(_Recherche):
    """Établissement public de coopération intercommunale à fiscalité propre (CC, CA, CU,
    métropole). Stored: its SIREN; displayed: its name."""

    code = "epci"
    libelle = _("Intercommunalité (EPCI)")
    url_api = "portal:api_epci"
    exemple = _(
        "Saisissez le nom ou le numéro SIREN, puis choisissez (exemple : Nantes Métropole)."
    )
    message_aucun = _(
        "Aucune intercommunalité ne correspond à « %(texte)s » : vérifiez l’orthographe, ou "
        "saisissez son numéro SIREN (9 chiffres)."
    )
    message_plusieurs = _(
        "Plusieurs intercommunalités correspondent à « %(texte)s » : %(liste)s. Précisez le nom."
    )

    def trouver(self, code: str) -> Any:
        return territoires().epci.get(code) if isinstance(code, str) else None

    def candidats(self, texte: str, options: dict[str, Any]) -> list[Any]:
        return territoires().epci_candidats(
            texte, departement=options.get("departement") or "", region=options.get("region") or ""
        )

    def dans_le_perimetre(self, element: Any, options: dict[str, Any]) -> bool:
        return (
            not options.get("departement") or options["departement"] in element.departements
        ) and (not options.get("region") or options["region"] in element.regions)
