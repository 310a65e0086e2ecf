"""Point in polygon for the territories' secteurs (C8), in plain Python: GeoJSON
Polygon / MultiPolygon in longitude/latitude, holes honoured. No PostGIS and no geometry
library in the project; a commune's sectors are a few dozen polygons of a few hundred
points, so the ray casting below costs microseconds per address."""

from typing import Any

from django.utils.translation import gettext as _

POINTS_MAX = 20_000  # a drawn district, not a cadastre


class GeometrieInvalide(ValueError):
    pass


def _anneau(anneau: Any) -> list[tuple[float, float]]:
    if not isinstance(anneau, list) or len(anneau) < 4:
        raise GeometrieInvalide(_("Chaque contour doit avoir au moins quatre points."))
    points = []
    for point in anneau:
        if (
            not isinstance(point, list | tuple)
            or len(point) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])
        ):
            raise GeometrieInvalide(_("Un point doit être une paire [longitude, latitude]."))
        lon, lat = float(point[0]), float(point[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise GeometrieInvalide(_("Un point est hors des longitudes et latitudes possibles."))
        points.append((lon, lat))
    if points[0] != points[-1]:
        raise GeometrieInvalide(_("Chaque contour doit se refermer sur son premier point."))
    return points


def valider_polygone(geometrie: Any) -> dict:
    """The geometry as stored ({"type", "coordinates"}) or GeometrieInvalide (French).
    A GeoJSON Feature is accepted and reduced to its geometry."""
    if isinstance(geometrie, dict) and geometrie.get("type") == "Feature":
        geometrie = geometrie.get("geometry")
    if not isinstance(geometrie, dict) or geometrie.get("type") not in ("Polygon", "MultiPolygon"):
        raise GeometrieInvalide(
            _("Saisissez une géométrie GeoJSON de type Polygon ou MultiPolygon.")
        )
    coordonnees = geometrie.get("coordinates")
    polygones = [coordonnees] if geometrie["type"] == "Polygon" else coordonnees
    if not isinstance(polygones, list) or not polygones:
        raise GeometrieInvalide(_("La géométrie n’a aucun contour."))
    total = 0
    for polygone in polygones:
        if not isinstance(polygone, list) or not polygone:
            raise GeometrieInvalide(_("La géométrie n’a aucun contour."))
        for anneau in polygone:
            total += len(_anneau(anneau))
    if total > POINTS_MAX:
        raise GeometrieInvalide(
            _("La géométrie a trop de points (%(n)s au plus).") % {"n": POINTS_MAX}
        )
    return {"type": geometrie["type"], "coordinates": coordonnees}


def _dans_anneau(lon: float, lat: float, anneau: list) -> bool:
    # Ray casting: count the edges crossed by a ray going east from the point.
    dedans = False
    j = len(anneau) - 1
    for i in range(len(anneau)):
        xi, yi = anneau[i][0], anneau[i][1]
        xj, yj = anneau[j][0], anneau[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            dedans = not dedans
        j = i
    return dedans


def contient(geometrie: dict | None, lon: float, lat: float) -> bool:
    """Whether the point is inside the Polygon / MultiPolygon (in its outer ring and in
    none of its holes). A stored geometry is trusted (validated on save)."""
    if not geometrie:
        return False
    coordonnees = geometrie.get("coordinates") or []
    polygones = [coordonnees] if geometrie.get("type") == "Polygon" else coordonnees
    for polygone in polygones:
        if (
            polygone
            and _dans_anneau(lon, lat, polygone[0])
            and not any(_dans_anneau(lon, lat, trou) for trou in polygone[1:])
        ):
            return True
    return False
