"""Carte (F13): points, lines and polygons drawn on a map, stored as GeoJSON.

The accessible input is a labelled textarea holding GeoJSON (a FeatureCollection, a
Feature or a bare geometry: coordinates are [longitude, latitude], as GeoJSON says);
without JavaScript it is the input. With JavaScript, static/js/carte.js adds a Leaflet
map with Leaflet.draw beside it (django-leaflet's static files only: its Django app
needs GDAL) and writes what is drawn into the textarea; the map is supplementary, with
an aria-label. Tiles come from GUICHET_CARTE_TUILES ("" = no tile layer, as in tests);
the map opens on the field's centre and zoom, else GUICHET_CARTE_CENTRE / _ZOOM.

Validated on the server: valid JSON under 100 KB; geometry types among those the field
allows (Point, LineString, Polygon); longitude from -180 to 180, latitude from -90 to
90; a line of 2 points at least, polygon rings closed (last point = first) of 4 points at
least; at most `max_elements` features. Stored normalised: {"type": "FeatureCollection",
"features": [{"type": "Feature", "properties": {}, "geometry": …}, …]}, coordinates
rounded to 7 decimals (about 1 cm). Displayed "1 point, 1 polygone (surface ≈ 1 234 m²)";
exported as the GeoJSON text; the template variable is the dict.
"""

import json
import math
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dossiers.champs.base import Definition, refuse
from dossiers.champs.natifs.communs import OptionsForm, Type, nombre_fr
from dossiers.champs.registry import register

TAILLE_MAX = 100_000  # characters of GeoJSON
ELEMENTS_MAX = 100
DECIMALES = 7
RAYON_TERRE = 6_378_137  # metres (WGS 84), as Leaflet.draw measures
GEOMETRIES = (
    ("Point", _("Point")),
    ("LineString", _("Ligne")),
    ("Polygon", _("Polygone")),
)
NOMS = {
    "Point": ("point", "points"),
    "LineString": ("ligne", "lignes"),
    "Polygon": ("polygone", "polygones"),
}


class GeoJsonInvalide(Exception):
    def __init__(self, message: str, code: str = "geojson") -> None:
        super().__init__(message)
        self.message, self.code = str(message), code


def _position(position: Any) -> list[float]:
    if (
        not isinstance(position, list)
        or len(position) not in (2, 3)
        or not all(
            isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
            for x in position
        )
    ):
        raise GeoJsonInvalide(
            _("Une position doit s’écrire [longitude, latitude], avec deux nombres.")
        )
    longitude, latitude = float(position[0]), float(position[1])
    if not -180 <= longitude <= 180 or not -90 <= latitude <= 90:
        raise GeoJsonInvalide(
            _(
                "Coordonnées hors limites : la longitude va de -180 à 180 et la latitude de "
                "-90 à 90 (l’ordre est [longitude, latitude])."
            ),
            "coordonnees",
        )
    return [round(longitude, DECIMALES), round(latitude, DECIMALES)]


def _geometrie(geometrie: Any, permises: list[str]) -> dict[str, Any]:
    if not isinstance(geometrie, dict):
        raise GeoJsonInvalide(_("Chaque élément doit avoir une géométrie."))
    genre = geometrie.get("type")
    if genre not in NOMS:
        raise GeoJsonInvalide(
            _("Type de géométrie non pris en charge : point, ligne ou polygone seulement."),
            "type",
        )
    if genre not in permises:
        noms = ", ".join(NOMS[g][0] for g in permises)
        raise GeoJsonInvalide(
            _("Ce champ n’accepte que : %(types)s.") % {"types": noms}, "type_refuse"
        )
    coordonnees = geometrie.get("coordinates")
    if genre == "Point":
        return {"type": genre, "coordinates": _position(coordonnees)}
    if genre == "LineString":
        if not isinstance(coordonnees, list) or len(coordonnees) < 2:
            raise GeoJsonInvalide(_("Une ligne doit compter au moins deux points."), "ligne")
        return {"type": genre, "coordinates": [_position(p) for p in coordonnees]}
    if not isinstance(coordonnees, list) or not coordonnees:
        raise GeoJsonInvalide(_("Un polygone doit avoir au moins un contour."), "polygone")
    anneaux = []
    for anneau in coordonnees:
        if not isinstance(anneau, list) or len(anneau) < 4:
            raise GeoJsonInvalide(
                _(
                    "Un contour de polygone compte au moins quatre positions (trois points et le retour au premier)."
                ),
                "polygone",
            )
        points = [_position(p) for p in anneau]
        if points[0] != points[-1]:
            raise GeoJsonInvalide(
                _(
                    "Le polygone n’est pas fermé : sa dernière position doit être égale à la première."
                ),
                "polygone_ouvert",
            )
        anneaux.append(points)
    return {"type": genre, "coordinates": anneaux}


def lire_geojson(raw: Any, *, permises: list[str], maximum: int) -> dict[str, Any] | None:
    """Raw input (GeoJSON text or already parsed) → a normalised FeatureCollection, or
    None when there is nothing; GeoJsonInvalide with a French message otherwise."""
    if isinstance(raw, str):
        if not raw.strip():
            return None
        if len(raw) > TAILLE_MAX:
            raise GeoJsonInvalide(
                _("Le tracé est trop volumineux (100 Ko au plus) : simplifiez-le."), "taille"
            )
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):
            raise GeoJsonInvalide(
                _("Ce texte n’est pas du GeoJSON valide : vérifiez les accolades et les virgules.")
            ) from None
    elif isinstance(raw, dict):
        try:
            taille = len(json.dumps(raw))
        except (TypeError, ValueError, RecursionError):
            raise GeoJsonInvalide(_("Ce tracé n’est pas du GeoJSON valide.")) from None
        if taille > TAILLE_MAX:
            raise GeoJsonInvalide(
                _("Le tracé est trop volumineux (100 Ko au plus) : simplifiez-le."), "taille"
            )
    if raw is None or raw == {}:
        return None
    if not isinstance(raw, dict):
        raise GeoJsonInvalide(_("Ce tracé n’est pas du GeoJSON valide."))
    genre = raw.get("type")
    if genre == "FeatureCollection":
        elements = raw.get("features")
        if not isinstance(elements, list):
            raise GeoJsonInvalide(_("Une FeatureCollection doit contenir une liste « features »."))
    elif genre == "Feature":
        elements = [raw]
    elif genre in NOMS or genre in ("MultiPoint", "MultiLineString", "MultiPolygon"):
        elements = [{"type": "Feature", "geometry": raw}]
    else:
        raise GeoJsonInvalide(_("Ce tracé n’est pas du GeoJSON valide (type inconnu)."))
    if not elements:
        return None
    if len(elements) > maximum:
        raise GeoJsonInvalide(
            _("Tracez au plus %(n)d élément(s) sur la carte.") % {"n": maximum}, "max_elements"
        )
    propres = []
    for element in elements:
        if not isinstance(element, dict) or element.get("type") != "Feature":
            raise GeoJsonInvalide(_("Chaque élément doit être une « Feature » GeoJSON."))
        propres.append(
            {
                "type": "Feature",
                "properties": {},
                "geometry": _geometrie(element.get("geometry"), permises),
            }
        )
    return {"type": "FeatureCollection", "features": propres}


# --- measures (as Leaflet.draw's L.GeometryUtil does) -----------------------------------


def surface_anneau(anneau: list[list[float]]) -> float:
    """Area in m² of a ring on the sphere (geodesic approximation of Leaflet.draw)."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(anneau, anneau[1:], strict=False):
        total += math.radians(lon2 - lon1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
        )
    return abs(total * RAYON_TERRE**2 / 2)


def surface(polygone: list[list[list[float]]]) -> float:
    exterieur, *trous = polygone
    return max(surface_anneau(exterieur) - sum(surface_anneau(t) for t in trous), 0.0)


def longueur(ligne: list[list[float]]) -> float:
    """Length in metres (haversine)."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(ligne, ligne[1:], strict=False):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        dp, dl = p2 - p1, math.radians(lon2 - lon1)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        total += 2 * RAYON_TERRE * math.asin(min(1.0, math.sqrt(a)))
    return total


class SaisieCarte(forms.Textarea):
    """The GeoJSON textarea, then the map's container (filled by carte.js)."""

    template_name = "forms/widgets/carte.html"

    class Media:
        css = {"all": ["leaflet/leaflet.css", "leaflet/draw/leaflet.draw.css"]}
        js = ["leaflet/leaflet.js", "leaflet/draw/leaflet.draw.js", "js/carte.js"]

    def __init__(self, *, reglages: dict[str, Any], attrs=None) -> None:
        super().__init__(attrs={"rows": 4, "spellcheck": "false", **(attrs or {})})
        self.reglages = reglages

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return super().format_value(value)

    def get_context(self, name, value, attrs) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["carte"] = self.reglages | {
            "reglages_json": json.dumps(self.reglages, ensure_ascii=False)
        }
        return context


class ChampCarte(forms.CharField):
    def __init__(self, *, type_champ: "Carte", definition: Definition, **kwargs: Any) -> None:
        self.type_champ, self.definition = type_champ, definition
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        return value

    def clean(self, value: Any) -> Any:
        return self.type_champ.clean(self.definition, value)


@register
class Carte(Type):
    code = "carte"
    libelle = _("Carte (point, ligne, polygone)")
    categorie = "Saisie"
    type_json = dict

    class Options(OptionsForm):
        geometries = forms.MultipleChoiceField(
            label=_("Tracés acceptés"),
            help_text=_("Aucun coché : points, lignes et polygones."),
            choices=GEOMETRIES,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        max_elements = forms.IntegerField(
            label=_("Nombre maximal de tracés"),
            help_text=_("10 par défaut."),
            required=False,
            min_value=1,
            max_value=ELEMENTS_MAX,
        )
        latitude = forms.FloatField(
            label=_("Latitude du centre de la carte"),
            help_text=_("Par défaut, le centre de la collectivité."),
            required=False,
            min_value=-90,
            max_value=90,
        )
        longitude = forms.FloatField(
            label=_("Longitude du centre de la carte"),
            required=False,
            min_value=-180,
            max_value=180,
        )
        zoom = forms.IntegerField(
            label=_("Zoom initial"),
            help_text=_("De 1 (le monde) à 19 (la rue)."),
            required=False,
            min_value=1,
            max_value=19,
        )

        def clean(self) -> dict[str, Any]:
            donnees = super().clean()
            if (donnees.get("latitude") is None) != (donnees.get("longitude") is None):
                raise ValidationError(
                    _("Indiquez la latitude et la longitude du centre, ou aucune des deux."),
                    code="centre",
                )
            return donnees

    def reglages(self, definition: Definition) -> dict[str, Any]:
        """What the field accepts and where the map opens."""
        options = self.options(definition)
        centre = list(getattr(settings, "GUICHET_CARTE_CENTRE", [46.6, 2.4]))
        if options["latitude"] is not None:
            centre = [options["latitude"], options["longitude"]]
        return {
            "geometries": options["geometries"] or [g for g, _l in GEOMETRIES],
            "max": options["max_elements"] or 10,
            "centre": centre,
            "zoom": options["zoom"] or getattr(settings, "GUICHET_CARTE_ZOOM", 14),
            "tuiles": getattr(settings, "GUICHET_CARTE_TUILES", ""),
            "attribution": getattr(settings, "GUICHET_CARTE_ATTRIBUTION", ""),
        }

    def form_field(self, definition: Definition) -> forms.Field:
        reglages = self.reglages(definition)
        attributs = self.attributs(definition)
        permises = ", ".join(str(dict(GEOMETRIES)[g]).lower() for g in reglages["geometries"])
        aide = _(
            "Dessinez sur la carte ou saisissez le tracé en GeoJSON, coordonnées en "
            '[longitude, latitude] (exemple : {"type": "Point", "coordinates": '
            "[2.85, 47.50]}). Tracés acceptés : %(types)s ; %(max)d au plus."
        ) % {"types": permises, "max": reglages["max"]}
        attributs["help_text"] = f"{definition.aide} {aide}" if definition.aide else aide
        return ChampCarte(
            type_champ=self,
            definition=definition,
            widget=SaisieCarte(reglages=reglages),
            **attributs,
        )

    def clean(self, definition: Definition, raw: Any) -> dict[str, Any] | None:
        reglages = self.reglages(definition)
        try:
            valeur = lire_geojson(raw, permises=reglages["geometries"], maximum=reglages["max"])
        except GeoJsonInvalide as erreur:
            raise refuse(erreur.message, erreur.code) from None
        if valeur is None and definition.obligatoire:
            raise refuse(
                _("Tracez au moins un élément sur la carte ou saisissez-le en GeoJSON."), "required"
            )
        return valeur

    def from_json(self, stored: Any) -> dict[str, Any]:
        if not isinstance(stored, dict) or not isinstance(stored.get("features"), list):
            raise TypeError(stored)
        if not all(
            isinstance(f, dict) and isinstance(f.get("geometry"), dict) for f in stored["features"]
        ):
            raise TypeError(stored)
        return stored

    def afficher(self, definition: Definition, valeur: dict[str, Any]) -> str:
        comptes: dict[str, int] = {}
        surfaces, longueurs = 0.0, 0.0
        for element in valeur["features"]:
            geometrie = element["geometry"]
            genre = geometrie.get("type")
            if genre not in NOMS:
                continue
            comptes[genre] = comptes.get(genre, 0) + 1
            try:
                if genre == "Polygon":
                    surfaces += surface(geometrie["coordinates"])
                elif genre == "LineString":
                    longueurs += longueur(geometrie["coordinates"])
            except (TypeError, ValueError, IndexError, KeyError):
                continue
        morceaux = []
        for genre in ("Point", "LineString", "Polygon"):
            if genre in comptes:
                n = comptes[genre]
                morceau = f"{n} {NOMS[genre][0 if n == 1 else 1]}"
                if genre == "LineString":
                    morceau += f" (longueur ≈ {nombre_fr(round(longueurs))} m)"
                if genre == "Polygon":
                    morceau += f" (surface ≈ {nombre_fr(round(surfaces))} m²)"
                morceaux.append(morceau)
        return ", ".join(morceaux)

    def exporter(self, definition: Definition, valeur: dict[str, Any], *, libelles: bool) -> str:
        return json.dumps(valeur, ensure_ascii=False, separators=(",", ":"))

    def variable(self, definition: Definition, stored: Any) -> Any:
        if self.est_vide(stored):
            return {}
        lu, valeur = self.lire(stored)
        return valeur if lu else {}
