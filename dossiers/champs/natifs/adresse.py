"""A postal address, suggested by the Base Adresse Nationale and geolocated.

Four inputs (numéro et voie, complément, code postal, commune) and four hidden ones the
suggestions fill (code INSEE, longitude, latitude, identifiant BAN). With JavaScript, the
first input is a combobox over `/api/adresses/` (static/js/champs.js): picking a
suggestion fills the others; typing by hand again empties the hidden ones. Without it,
the usager types the four inputs. On the server, an address that came without coordinates
is geocoded (`common.adresses.geocoder`, the adapter of the settings); when the BAN has no
answer, the address is kept as typed, without coordinates.

Stored: {label, numero_voie, complement, code_postal, commune, code_insee, lon, lat,
ban_id} — label is the one-line French address; lon/lat are null when not geolocated.
"""

import math
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from common import adresses
from dossiers.champs.base import Definition, refuse
from dossiers.champs.natifs.communs import MESSAGE_OBLIGATOIRE, OptionsForm, Type
from dossiers.champs.registry import register

VISIBLES = ("numero_voie", "complement", "code_postal", "commune")
CACHES = ("code_insee", "lon", "lat", "ban_id")
CLES = (*VISIBLES, *CACHES)
LIBELLES = {
    "numero_voie": _("Numéro et voie"),
    "complement": _("Complément d’adresse"),
    "code_postal": _("Code postal"),
    "commune": _("Commune"),
}
AIDES = {
    "numero_voie": _("Exemple : 12 rue des Tanneurs"),
    "complement": _("Bâtiment, étage, lieu-dit…"),
    "code_postal": _("5 chiffres, exemple : 18240"),
}
AUTOCOMPLETE = {
    "numero_voie": "address-line1",
    "complement": "address-line2",
    "code_postal": "postal-code",
    "commune": "address-level2",
}
LONGUEURS = {"numero_voie": 200, "complement": 200, "code_postal": 5, "commune": 100}
_CODE_POSTAL = re.compile(r"[0-9]{5}")
_CODE_INSEE = re.compile(r"[0-9][0-9AB][0-9]{3}")
_BAN_ID = re.compile(r"[\w:-]{1,64}")


def ligne(valeur: dict[str, Any]) -> str:
    """ "12 rue des Tanneurs, Bâtiment B, 18240 Belleville-sur-Loire"."""
    ville = f"{valeur.get('code_postal') or ''} {valeur.get('commune') or ''}".strip()
    parties = (valeur.get("numero_voie"), valeur.get("complement"), ville)
    return ", ".join(p for p in parties if p)


class VariableAdresse(dict):
    """What document templates get: {{ adresse.commune }}, and {{ adresse }} the line."""

    def __str__(self) -> str:
        return self.get("label") or ""


class WidgetAdresse(forms.MultiWidget):
    template_name = "forms/widgets/adresse.html"

    def __init__(self, *, libelles: dict[str, str], url: str) -> None:
        widgets = {
            cle: forms.TextInput(
                attrs={
                    "autocomplete": AUTOCOMPLETE[cle],
                    **({"inputmode": "numeric"} if cle == "code_postal" else {}),
                }
            )
            for cle in VISIBLES
        } | {cle: forms.HiddenInput(attrs={"data-adresse-cache": cle}) for cle in CACHES}
        super().__init__(widgets)
        self.libelles, self.url = libelles, url

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dict):
            return [value.get(cle) for cle in CLES]
        return [None] * len(CLES)

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for cle, sous in zip(CLES, context["widget"]["subwidgets"], strict=True):
            sous["cle"] = cle
            sous["libelle"] = self.libelles.get(cle, "")
            sous["aide"] = AIDES.get(cle, "")
            sous["visible"] = cle in VISIBLES
            # formules.js reads the parts back into the stored dict (`lireAdresse`), so
            # live conditions on "adresse.code_postal" read what the server will.
            sous["attrs"]["data-adresse-partie"] = cle
        context["widget"]["url"] = self.url
        return context


class ChampAdresse(forms.Field):
    """Cleans the parts (a list from the widget, or a dict from an API or an import)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", "forms/champ_adresse.html")  # a fieldset
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dict[str, Any] | None:
        if value in self.empty_values:
            return None
        if isinstance(value, list | tuple) and len(value) == len(CLES):
            value = dict(zip(CLES, value, strict=True))
        if not isinstance(value, dict):
            raise ValidationError(
                _(
                    "Saisissez l’adresse dans les cases prévues (numéro et voie, code postal, commune)."
                ),
                code="invalide",
            )
        for cle in VISIBLES:
            texte = value.get(cle)
            if texte is not None and not isinstance(texte, str):
                raise ValidationError(
                    _("Cette adresse n’est pas valide : chaque partie doit être un texte."),
                    code="invalide",
                )
            if texte and "\x00" in texte:
                raise ValidationError(
                    _("Cette adresse contient un caractère interdit."), code="nul"
                )
        return parties(value)

    def validate(self, value: dict[str, Any] | None) -> None:
        if value is None:
            if self.required:
                raise ValidationError(MESSAGE_OBLIGATOIRE, code="required")
            return
        erreurs = []
        if not value["numero_voie"]:
            erreurs.append(ValidationError(_("Indiquez le numéro et la voie."), code="voie"))
        if not _CODE_POSTAL.fullmatch(value["code_postal"]):
            erreurs.append(
                ValidationError(
                    _("Le code postal compte 5 chiffres (exemple : 18240)."), code="code_postal"
                )
            )
        if not value["commune"]:
            erreurs.append(ValidationError(_("Indiquez la commune."), code="commune"))
        for cle, maximum in LONGUEURS.items():
            if len(value[cle]) > maximum:
                erreurs.append(
                    ValidationError(
                        _("« %(partie)s » est trop long : %(n)d caractères au plus."),
                        code="longueur",
                        params={"partie": LIBELLES[cle], "n": maximum},
                    )
                )
        if erreurs:
            raise ValidationError(erreurs)


def parties(value: Any) -> dict[str, Any] | None:
    """The parts as stored, without the checks (spaces collapsed; the hidden parts kept
    only when all read); None when no visible part is filled. What a condition reads
    of an address, valid or not: static/js/formules.js (`lireAdresse`) does the same."""
    if isinstance(value, list | tuple) and len(value) == len(CLES):
        value = dict(zip(CLES, value, strict=True))
    if not isinstance(value, dict):
        return None
    lues = {cle: value.get(cle) for cle in VISIBLES}
    lues = {cle: " ".join(t.split()) if isinstance(t, str) else "" for cle, t in lues.items()}
    if not any(lues.values()):
        return None
    return lues | _geolocalisation(value)


def _nombre(valeur: Any, borne: float) -> float | None:
    if isinstance(valeur, bool) or valeur in (None, ""):
        return None
    try:
        nombre = float(valeur)
    except (TypeError, ValueError):
        return None
    return nombre if math.isfinite(nombre) and -borne <= nombre <= borne else None


def _geolocalisation(value: dict[str, Any]) -> dict[str, Any]:
    """The hidden parts, kept only when all read (a tampered one drops them all)."""
    lon, lat = _nombre(value.get("lon"), 180), _nombre(value.get("lat"), 90)
    code_insee, ban_id = value.get("code_insee"), value.get("ban_id")
    if (
        lon is None
        or lat is None
        or not isinstance(code_insee, str)
        or not _CODE_INSEE.fullmatch(code_insee)
        or not isinstance(ban_id, str)
        or not (ban_id == "" or _BAN_ID.fullmatch(ban_id))
    ):
        return {"code_insee": "", "lon": None, "lat": None, "ban_id": ""}
    return {"code_insee": code_insee, "lon": lon, "lat": lat, "ban_id": ban_id}


@register
class Adresse(Type):
    code = "adresse"
    libelle = _("Adresse postale")
    categorie = "Coordonnées"
    type_json = dict

    class Options(OptionsForm):
        libelle_numero_voie = forms.CharField(
            label=_("Libellé de « Numéro et voie »"), required=False, max_length=100
        )
        libelle_complement = forms.CharField(
            label=_("Libellé de « Complément d’adresse »"), required=False, max_length=100
        )
        libelle_code_postal = forms.CharField(
            label=_("Libellé de « Code postal »"), required=False, max_length=100
        )
        libelle_commune = forms.CharField(
            label=_("Libellé de « Commune »"), required=False, max_length=100
        )
        sans_geolocalisation = forms.BooleanField(
            label=_("Ne pas géolocaliser une adresse saisie à la main"),
            help_text=_(
                "Par défaut, une adresse saisie sans suggestion est cherchée dans la Base "
                "Adresse Nationale pour la situer sur une carte."
            ),
            required=False,
        )

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        libelles = {cle: options.get(f"libelle_{cle}") or LIBELLES[cle] for cle in VISIBLES}
        try:
            url = reverse("portal:api_adresses")
        except NoReverseMatch:
            url = ""
        attributs = self.attributs(definition)
        attributs["help_text"] = definition.aide or _(
            "Commencez à saisir l’adresse et choisissez-la dans la liste, ou remplissez les cases."
        )
        return ChampAdresse(widget=WidgetAdresse(libelles=libelles, url=url), **attributs)

    def clean(self, definition: Definition, raw: Any) -> dict[str, Any] | None:
        if raw is not None and not isinstance(raw, str | dict | list | tuple):
            raise refuse(_("Cette adresse n’est pas valide."), "valeur_invalide")
        valeur = self.form_field(definition).clean(raw)
        if valeur is None:
            return None
        if valeur["lon"] is None and not self.options(definition)["sans_geolocalisation"]:
            trouvee = adresses.geocoder(
                valeur["numero_voie"], valeur["code_postal"], valeur["commune"]
            )
            if trouvee is not None:
                valeur |= {
                    "code_insee": trouvee.code_insee,
                    "lon": trouvee.lon,
                    "lat": trouvee.lat,
                    "ban_id": trouvee.ban_id,
                }
        return {"label": ligne(valeur), **valeur}

    def valeur_saisie(self, definition: Definition, raw: Any) -> dict[str, Any] | None:
        """An address refused (a part missing, a postcode of 4 digits): its parts as
        typed, with their line, so conditions on `adresse.code_postal` read them as in
        the page. Never geocoded (only a valid address is)."""
        valeur = parties(raw)
        return None if valeur is None else {"label": ligne(valeur), **valeur}

    def apercu(self, definition: Definition, raw: Any) -> dict[str, Any] | None:
        """Never geocoded on a step shown again: its parts as the page reads them."""
        return self.valeur_saisie(definition, raw)

    def from_json(self, stored: Any) -> dict[str, Any]:
        if not isinstance(stored, dict):
            raise TypeError(stored)
        return stored

    def est_vide(self, stored: Any) -> bool:
        if isinstance(stored, dict):
            return not any(stored.get(cle) for cle in ("label", *VISIBLES))
        return super().est_vide(stored)

    def afficher(self, definition: Definition, valeur: dict[str, Any]) -> str:
        return str(valeur.get("label") or ligne(valeur))

    def exporter(self, definition: Definition, valeur: dict[str, Any], *, libelles: bool) -> str:
        return self.afficher(definition, valeur)

    def variable(self, definition: Definition, stored: Any) -> Any:
        if not isinstance(stored, dict) or self.est_vide(stored):
            return VariableAdresse()
        return VariableAdresse({cle: stored.get(cle) for cle in ("label", *CLES)})
