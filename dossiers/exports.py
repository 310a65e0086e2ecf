"""Exports of dossiers (C2, C12, C15): the columns an agent may choose, the rows read in
chunks, and one writer per format.

Rows are read with `.iterator(chunk_size=…)` (a server-side cursor on PostgreSQL), only
the columns the export uses (`CHAMPS_LUS`), and each chunk's states are read in one
batch, so memory stays flat whatever the number of dossiers. CSV, JSON, GeoJSON and ICS
are produced as a stream of bytes (a streamed HTTP response, or a file for a job); XLSX
(openpyxl's write-only mode) and ODS (a zip of XML written row by row) are written to a
file object, never built in memory.

Values: dates in ISO 8601 (`2026-03-12`, date-times `2026-03-12 14:05` local time),
numbers without thousands separator and with a dot; choices as keys or labels
(`libelles`). With keys, the header row gives the columns' technical names too.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from dossiers import suivi
from dossiers.models import Dispositif, Dossier, FormatExport, ModeleDossier, Vue
from dossiers.selectors_gestion import DRAPEAUX, _definitions

# Rows read per round trip; each chunk also costs one query for the states.
TAILLE_LOT = 2000
PREFIXE_CHAMP = "champ:"
NUMERIQUES = ("decimal", "montant")


@dataclass(frozen=True)
class Colonne:
    cle: str
    libelle: str
    # Standard columns: (dossier, state, details) → value. Custom ones: None.
    lire: Callable[[Dossier, suivi.EtatAffiche, suivi.DetailsSuivi], Any] | None = None
    # Custom ones: the field type, its definition and the cell's index among its cells.
    type_champ: Any = None
    definition: Any = None
    indice: int = 0

    @property
    def nombre(self) -> bool:
        """A decimal or an amount: its JSON is a string, a spreadsheet gets a number."""
        return self.type_champ is not None and self.type_champ.code in NUMERIQUES


def _demandeur(dossier: Dossier) -> str:
    if dossier.demandeur_profil_id:
        return dossier.demandeur_profil.nom
    if dossier.demandeur_individu_id:
        return dossier.demandeur_individu.nom_complet
    return ""


def _email(dossier: Dossier) -> str:
    if dossier.demandeur_profil_id and dossier.demandeur_profil.email:
        return dossier.demandeur_profil.email
    if dossier.demandeur_individu_id and dossier.demandeur_individu.email:
        return dossier.demandeur_individu.email
    return dossier.email_suivi


def _telephone(dossier: Dossier) -> str:
    if dossier.demandeur_profil_id:
        return dossier.demandeur_profil.telephone
    if dossier.demandeur_individu_id:
        individu = dossier.demandeur_individu
        return individu.telephone_mobile or individu.telephone_fixe
    return ""


def _moment(valeur: datetime.datetime | None) -> str:
    return timezone.localtime(valeur).strftime("%Y-%m-%d %H:%M") if valeur else ""


LIBELLES_DRAPEAUX = {
    "prioritaire": gettext_lazy("Prioritaire"),
    "urgent": gettext_lazy("Urgent"),
    "signale": gettext_lazy("Signalé"),
    "doublon": gettext_lazy("Doublon"),
}


def _drapeaux(dossier: Dossier) -> str:
    # Translated only for the flags set: most rows have none (a 100,000-row export).
    return ", ".join(str(LIBELLES_DRAPEAUX[n]) for n in DRAPEAUX if getattr(dossier, n))


COLONNES_STANDARD: tuple[Colonne, ...] = (
    Colonne("reference", gettext_lazy("Référence"), lambda d, e, s: d.reference),
    Colonne("dispositif", gettext_lazy("Dispositif"), lambda d, e, s: d.dispositif.titre),
    Colonne("statut", gettext_lazy("Statut"), lambda d, e, s: str(e.libelle)),
    Colonne("etape", gettext_lazy("Étape"), lambda d, e, s: s.etape),
    Colonne("echeance", gettext_lazy("Échéance de l’étape"), lambda d, e, s: s.echeance),
    Colonne("demandeur", gettext_lazy("Demandeur"), lambda d, e, s: _demandeur(d)),
    Colonne("email", gettext_lazy("Adresse électronique"), lambda d, e, s: _email(d)),
    Colonne("telephone", gettext_lazy("Téléphone"), lambda d, e, s: _telephone(d)),
    Colonne("depose_le", gettext_lazy("Déposé le"), lambda d, e, s: _moment(d.depose_le)),
    Colonne("clos_le", gettext_lazy("Clôturé le"), lambda d, e, s: _moment(d.clos_le)),
    Colonne(
        "agent",
        gettext_lazy("Agent"),
        lambda d, e, s: (d.agent.get_full_name() or d.agent.email) if d.agent_id else "",
    ),
    Colonne(
        "classement",
        gettext_lazy("Classement"),
        lambda d, e, s: d.classement.libelle if d.classement_id else "",
    ),
    Colonne("drapeaux", gettext_lazy("Drapeaux"), lambda d, e, s: _drapeaux(d)),
)
STANDARD_PAR_CLE = {c.cle: c for c in COLONNES_STANDARD}
COLONNES_PAR_DEFAUT = ("reference", "dispositif", "statut", "demandeur", "depose_le", "agent")


def modele_des_colonnes(dispositif: Dispositif | None) -> ModeleDossier | None:
    if dispositif is None:
        return None
    return (
        dispositif.modeles.filter(statut=ModeleDossier.Statut.PUBLIE).order_by("-version").first()
    )


def colonnes_du_modele(modele: ModeleDossier | None) -> list[Colonne]:
    """The custom fields' columns of a published form (fields agents see, holding a
    value), one per export cell of each field type (`colonnes_export`)."""
    if modele is None:
        return []
    colonnes = []
    for _titre, champs in _definitions(modele, Vue.CRM):
        for type_champ, definition in champs:
            for indice, (suffixe, libelle) in enumerate(type_champ.colonnes_export(definition)):
                nom = f"{definition.nom}.{suffixe}" if suffixe else definition.nom
                colonnes.append(
                    Colonne(
                        PREFIXE_CHAMP + nom,
                        str(libelle),
                        type_champ=type_champ,
                        definition=definition,
                        indice=indice,
                    )
                )
    return colonnes


def champs_date(modele: ModeleDossier | None) -> list[tuple[str, str]]:
    """(technical name, label) of the form's date fields: what an ICS export may use."""
    if modele is None:
        return []
    return [
        (definition.nom, definition.libelle)
        for _titre, champs in _definitions(modele, Vue.CRM)
        for type_champ, definition in champs
        if type_champ.code == "date"
    ]


@dataclass
class Specification:
    """What an export holds: columns in order, keys or labels, the dispositif whose
    custom fields are columns (its dossiers only fill them), the date of ICS events."""

    colonnes: list[Colonne]
    libelles: bool = True
    dispositif_id: int | None = None
    champ_date: str = ""  # ICS: a date field's technical name; "" = the étape's deadline
    modele: ModeleDossier | None = None
    noms_adresse: list[str] = field(default_factory=list)

    @property
    def entetes(self) -> list[str]:
        if self.libelles:
            return [str(c.libelle) for c in self.colonnes]
        return [c.cle.removeprefix(PREFIXE_CHAMP) for c in self.colonnes]


class ColonneInconnue(ValueError):
    pass


def specification(
    *,
    cles: Iterable[str],
    libelles: bool = True,
    dispositif: Dispositif | None = None,
    champ_date: str = "",
) -> Specification:
    """The spec from column keys (standard keys, or `champ:<nom>` of the dispositif's
    published form). An unknown key raises ColonneInconnue: forms refuse it first."""
    modele = modele_des_colonnes(dispositif)
    personnalisees = {c.cle: c for c in colonnes_du_modele(modele)}
    colonnes = []
    for cle in cles:
        colonne = STANDARD_PAR_CLE.get(cle) or personnalisees.get(cle)
        if colonne is None:
            raise ColonneInconnue(cle)
        colonnes.append(colonne)
    if champ_date and champ_date not in dict(champs_date(modele)):
        raise ColonneInconnue(champ_date)
    noms_adresse = [
        definition.nom
        for _titre, champs in (_definitions(modele, Vue.CRM) if modele else [])
        for type_champ, definition in champs
        if type_champ.code == "adresse"
    ]
    return Specification(
        colonnes=colonnes,
        libelles=libelles,
        dispositif_id=dispositif.pk if dispositif else None,
        champ_date=champ_date,
        modele=modele,
        noms_adresse=noms_adresse,
    )


# --- Rows ---------------------------------------------------------------------------------


@dataclass
class Ligne:
    dossier: Dossier
    valeurs: list[Any]
    details: suivi.DetailsSuivi


def _cellule(colonne: Colonne, dossier: Dossier, spec: Specification) -> Any:
    if dossier.dispositif_id != spec.dispositif_id:
        return ""  # another dispositif's data: its fields are not these columns
    stored = (dossier.donnees or {}).get(colonne.definition.nom)
    try:
        cellules = colonne.type_champ.export_cellules(
            colonne.definition, stored, libelles=spec.libelles
        )
        return cellules[colonne.indice] if colonne.indice < len(cellules) else ""
    except Exception:  # noqa: BLE001 - a stored value the type no longer reads
        return "" if stored is None else str(stored)


def _par_lots(iterable: Iterable[Dossier], taille: int) -> Iterator[list[Dossier]]:
    lot: list[Dossier] = []
    for element in iterable:
        lot.append(element)
        if len(lot) >= taille:
            yield lot
            lot = []
    if lot:
        yield lot


# What the columns, the writers and the state's providers read of a dossier and of its
# joined rows: nothing else is fetched nor made into Python objects (the dispositif's
# texts, the form model, the individu's thirty columns… — most of a chunk's memory and
# of the time per row). A field read but missing here would cost a query per row:
# tests/dossiers/test_exports.py counts the queries with every column.
CHAMPS_LUS = (
    "reference",
    "statut",
    "donnees",
    "depose_le",
    "clos_le",
    "email_suivi",
    *DRAPEAUX,
    "dispositif__titre",
    "demandeur_profil__nom",
    "demandeur_profil__email",
    "demandeur_profil__telephone",
    "demandeur_individu__prenom",
    "demandeur_individu__nom",
    "demandeur_individu__nom_usage",
    "demandeur_individu__email",
    "demandeur_individu__telephone_mobile",
    "demandeur_individu__telephone_fixe",
    "agent__first_name",
    "agent__last_name",
    "agent__email",
    "classement__libelle",
)
JOINTS = ("dispositif", "demandeur_profil", "demandeur_individu", "agent", "classement")


def lignes(
    dossiers: QuerySet[Dossier],
    spec: Specification,
    *,
    taille: int | None = None,
    progression: Callable[[int], None] | None = None,
) -> Iterator[Ligne]:
    """Each dossier's row, read `taille` at a time; `progression(n)` after each chunk
    with the number of rows produced so far."""
    taille = taille or TAILLE_LOT
    faits = 0
    dossiers = dossiers.select_related(None).select_related(*JOINTS).only(*CHAMPS_LUS)
    for lot in _par_lots(dossiers.iterator(chunk_size=taille), taille):
        etats = suivi.etats(lot, usager=False)
        details = suivi.details(lot)
        for dossier in lot:
            etat = etats[dossier.pk]
            detail = details.get(dossier.pk) or suivi.DetailsSuivi()
            valeurs = [
                colonne.lire(dossier, etat, detail)
                if colonne.lire is not None
                else _cellule(colonne, dossier, spec)
                for colonne in spec.colonnes
            ]
            yield Ligne(dossier, valeurs, detail)
        faits += len(lot)
        if progression is not None:
            progression(faits)


# --- Cells as text ------------------------------------------------------------------------

FORMULE = ("=", "+", "-", "@", "\t", "\r")


def texte(valeur: Any) -> str:
    """A cell as text: ISO dates, numbers without separators, Oui/Non."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return _("Oui") if valeur else _("Non")
    if isinstance(valeur, datetime.datetime):
        return _moment(valeur)
    if isinstance(valeur, datetime.date):
        return valeur.isoformat()
    if isinstance(valeur, Decimal):
        return format(valeur, "f")
    if isinstance(valeur, list | tuple):
        return " | ".join(texte(v) for v in valeur)
    if isinstance(valeur, dict):
        return json.dumps(valeur, ensure_ascii=False, cls=DjangoJSONEncoder)
    return str(valeur)


def _nombre(valeur: str) -> bool:
    try:
        float(valeur)
    except ValueError:
        return False
    return True


def neutraliser(valeur: str) -> str:
    """A spreadsheet would run a text starting with = + - @ as a formula (CSV injection):
    such a text, typed by a citizen, is prefixed with an apostrophe; numbers stay."""
    if valeur.startswith(FORMULE) and not _nombre(valeur):
        return "'" + valeur
    return valeur


# --- Writers ------------------------------------------------------------------------------

TAILLE_MORCEAU = 64 * 1024


def ecrire_csv(spec: Specification, rangees: Iterable[Ligne]) -> Iterator[bytes]:
    """`;`-separated, CRLF, UTF-8 with a BOM (so Excel reads the accents)."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    tampon.write("\ufeff")
    ecrivain.writerow(spec.entetes)
    for ligne in rangees:
        ecrivain.writerow([neutraliser(texte(v)) for v in ligne.valeurs])
        if tampon.tell() >= TAILLE_MORCEAU:
            yield tampon.getvalue().encode()
            tampon.seek(0)
            tampon.truncate()
    yield tampon.getvalue().encode()


def _json(valeur: Any) -> str:
    return json.dumps(valeur, ensure_ascii=False, cls=DjangoJSONEncoder)


def _valeur_json(valeur: Any) -> Any:
    if isinstance(valeur, datetime.datetime | datetime.date):
        return texte(valeur)
    return valeur


def ecrire_json(spec: Specification, rangees: Iterable[Ligne]) -> Iterator[bytes]:
    """{"format", "version", "colonnes": [{cle, libelle}], "dossiers": [{cle: valeur}]}."""
    cles = [c.cle.removeprefix(PREFIXE_CHAMP) for c in spec.colonnes]
    entete = {
        "format": "guichet.export_dossiers",
        "version": 1,
        "colonnes": [
            {"cle": cle, "libelle": str(c.libelle)}
            for cle, c in zip(cles, spec.colonnes, strict=True)
        ],
    }
    yield (_json(entete)[:-1] + ', "dossiers": [').encode()
    separateur = ""
    for ligne in rangees:
        objet = {cle: _valeur_json(v) for cle, v in zip(cles, ligne.valeurs, strict=True)}
        yield (separateur + "\n" + _json(objet)).encode()
        separateur = ","
    yield b"\n]}\n"


def _point(dossier: Dossier, noms: list[str]) -> tuple[float, float] | None:
    """The first address with coordinates: the dispositif's address fields in order,
    else any stored value shaped like an address (lon, lat)."""
    donnees = dossier.donnees or {}
    candidats = [donnees.get(n) for n in noms] + list(donnees.values())
    for valeur in candidats:
        if isinstance(valeur, dict):
            lon, lat = valeur.get("lon"), valeur.get("lat")
            try:
                lon, lat = float(lon), float(lat)
            except (TypeError, ValueError):
                continue
            if -180 <= lon <= 180 and -90 <= lat <= 90:
                return lon, lat
    return None


def ecrire_geojson(spec: Specification, rangees: Iterable[Ligne]) -> Iterator[bytes]:
    """A FeatureCollection: one Point per dossier holding an address with coordinates,
    the chosen columns as its properties (RFC 7946: WGS 84, longitude first)."""
    cles = [c.cle.removeprefix(PREFIXE_CHAMP) for c in spec.colonnes]
    yield b'{"type": "FeatureCollection", "features": ['
    separateur = ""
    for ligne in rangees:
        point = _point(ligne.dossier, spec.noms_adresse)
        if point is None:
            continue
        feature = {
            "type": "Feature",
            "id": ligne.dossier.reference,
            "geometry": {"type": "Point", "coordinates": list(point)},
            "properties": {
                cle: _valeur_json(v) for cle, v in zip(cles, ligne.valeurs, strict=True)
            },
        }
        yield (separateur + "\n" + _json(feature)).encode()
        separateur = ","
    yield b"\n]}\n"


# RFC 5545: text escaped (\\, \;, \,, \n), lines folded at 75 octets, CRLF.
def ics_echapper(valeur: str) -> str:
    return (
        valeur.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_plier(ligne: str) -> str:
    """Fold a content line at 75 octets (never inside a UTF-8 character), CRLF ended."""
    morceaux, courant, taille = [], "", 0
    limite = 75
    for caractere in ligne:
        octets = len(caractere.encode())
        if taille + octets > limite:
            morceaux.append(courant)
            courant, taille, limite = "", 0, 74  # continuation lines start with a space
        courant += caractere
        taille += octets
    morceaux.append(courant)
    return "\r\n ".join(morceaux) + "\r\n"


def _date_evenement(ligne: Ligne, spec: Specification) -> datetime.date | None:
    if not spec.champ_date:
        return ligne.details.echeance
    if ligne.dossier.dispositif_id != spec.dispositif_id:
        return None
    valeur = (ligne.dossier.donnees or {}).get(spec.champ_date)
    try:
        return datetime.date.fromisoformat(valeur) if isinstance(valeur, str) else None
    except ValueError:
        return None


def ecrire_ics(
    spec: Specification, rangees: Iterable[Ligne], *, domaine: str = ""
) -> Iterator[bytes]:
    """One all-day VEVENT per dossier that has the date (the chosen date field, or the
    current étape's deadline); the chosen columns in its description. UIDs are stable
    (dossier and date source) so a calendar re-importing the file updates its events."""
    domaine = domaine or urlsplit(settings.GUICHET_SITE_URL).hostname or "guichet"
    maintenant = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    entetes = spec.entetes
    yield (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Guichet//Exports de dossiers//FR\r\n"
        b"CALSCALE:GREGORIAN\r\n"
    )
    for ligne in rangees:
        jour = _date_evenement(ligne, spec)
        if jour is None:
            continue
        dossier = ligne.dossier
        resume = " — ".join(p for p in (dossier.reference, _demandeur(dossier)) if p)
        description = "\n".join(
            f"{entete} : {texte(v)}"
            for entete, v in zip(entetes, ligne.valeurs, strict=True)
            if texte(v)
        )
        lignes_evenement = [
            "BEGIN:VEVENT",
            f"UID:dossier-{dossier.pk}-{spec.champ_date or 'echeance'}@{domaine}",
            f"DTSTAMP:{maintenant}",
            f"DTSTART;VALUE=DATE:{jour:%Y%m%d}",
            f"DTEND;VALUE=DATE:{jour + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_echapper(resume)}",
            f"DESCRIPTION:{ics_echapper(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
        yield "".join(ics_plier(x) for x in lignes_evenement).encode()
    yield b"END:VCALENDAR\r\n"


def _cellule_tableur(valeur: Any, nombre: bool = False) -> Any:
    """Numbers stay numbers (decimals and amounts too); everything else is text (never a
    formula)."""
    if isinstance(valeur, int | float | Decimal) and not isinstance(valeur, bool):
        return valeur
    if nombre and isinstance(valeur, str) and valeur:
        try:
            nombre_lu = Decimal(valeur)
        except ArithmeticError:
            nombre_lu = None
        if nombre_lu is not None and nombre_lu.is_finite():
            return nombre_lu
    return neutraliser(texte(valeur))


def _cellules_tableur(spec: Specification, ligne: Ligne) -> list[Any]:
    return [
        _cellule_tableur(v, c.nombre) for c, v in zip(spec.colonnes, ligne.valeurs, strict=True)
    ]


def ecrire_xlsx(spec: Specification, rangees: Iterable[Ligne], fichier: IO[bytes]) -> None:
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet(_("Dossiers"))
    feuille.append(spec.entetes)
    for ligne in rangees:
        feuille.append(_cellules_tableur(spec, ligne))
    classeur.save(fichier)


_ODS_MANIFESTE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
    ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODS_DEBUT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="{nom}">'
)
_ODS_FIN = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods_cellule(valeur: Any) -> str:
    valeur = _cellule_tableur(valeur)  # idempotent on already converted cells
    if not isinstance(valeur, str):
        return (
            f'<table:table-cell office:value-type="float" office:value="{valeur}">'
            f"<text:p>{valeur}</text:p></table:table-cell>"
        )
    if not valeur:
        return "<table:table-cell/>"
    return f'<table:table-cell office:value-type="string"><text:p>{escape(valeur)}</text:p></table:table-cell>'


def _ods_rangee(valeurs: Iterable[Any]) -> str:
    return "<table:table-row>" + "".join(_ods_cellule(v) for v in valeurs) + "</table:table-row>"


def ecrire_ods(spec: Specification, rangees: Iterable[Ligne], fichier: IO[bytes]) -> None:
    """OpenDocument spreadsheet: the zip's `mimetype` first and stored, then content.xml
    written row by row into the zip (no document tree in memory)."""
    with zipfile.ZipFile(fichier, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFESTE)
        with archive.open("content.xml", "w", force_zip64=True) as contenu:
            contenu.write(_ODS_DEBUT.format(nom=escape(_("Dossiers"))).encode())
            contenu.write(_ods_rangee(spec.entetes).encode())
            for ligne in rangees:
                contenu.write(_ods_rangee(_cellules_tableur(spec, ligne)).encode())
            contenu.write(_ODS_FIN.encode())


@dataclass(frozen=True)
class Format:
    code: str
    extension: str
    type_mime: str
    # Streamed formats give bytes; file formats write into a binary file.
    flux: Callable[..., Iterator[bytes]] | None = None
    fichier: Callable[[Specification, Iterable[Ligne], IO[bytes]], None] | None = None


FORMATS: dict[str, Format] = {
    FormatExport.CSV: Format("csv", "csv", "text/csv; charset=utf-8", flux=ecrire_csv),
    FormatExport.JSON: Format("json", "json", "application/json", flux=ecrire_json),
    FormatExport.GEOJSON: Format("geojson", "geojson", "application/geo+json", flux=ecrire_geojson),
    FormatExport.ICS: Format("ics", "ics", "text/calendar; charset=utf-8", flux=ecrire_ics),
    FormatExport.XLSX: Format(
        "xlsx",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        fichier=ecrire_xlsx,
    ),
    FormatExport.ODS: Format(
        "ods", "ods", "application/vnd.oasis.opendocument.spreadsheet", fichier=ecrire_ods
    ),
}


def ecrire(format_: Format, spec: Specification, rangees: Iterable[Ligne], fichier: IO[bytes]):
    """Any format into a binary file (jobs, and XLSX/ODS answered at once)."""
    if format_.flux is not None:
        for morceau in format_.flux(spec, rangees):
            fichier.write(morceau)
    else:
        format_.fichier(spec, rangees, fichier)
