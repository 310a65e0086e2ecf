"""dossiers/exports.py: columns, rows read in chunks, and each format parsed back."""

import csv
import io
import json
import tempfile
import tracemalloc
import zipfile
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dossiers import exports, suivi
from dossiers.models import Dossier
from tests.dossiers.exports_donnees import deposer_exportable, dispositif_exportable

pytestmark = pytest.mark.django_db

TOUTES = [c.cle for c in exports.COLONNES_STANDARD] + [
    "champ:nom",
    "champ:montant",
    "champ:categorie",
    "champ:date_evenement",
    "champ:lieu",
]


@pytest.fixture
def dispositif():
    return dispositif_exportable()


def _spec(dispositif, *, libelles=True, cles=None, champ_date=""):
    return exports.specification(
        cles=cles or TOUTES, libelles=libelles, dispositif=dispositif, champ_date=champ_date
    )


def _tous():
    return Dossier.objects.exclude(statut="brouillon").order_by("pk")


def _octets(format_, spec):
    fichier = io.BytesIO()
    exports.ecrire(exports.FORMATS[format_], spec, exports.lignes(_tous(), spec), fichier)
    return fichier.getvalue()


def test_csv_has_bom_semicolons_iso_dates_and_no_thousands_separator(dispositif):
    dossier = deposer_exportable(dispositif)
    contenu = _octets("csv", _spec(dispositif))
    assert contenu.startswith("\ufeff".encode())
    assert b"\r\n" in contenu
    lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    entetes, valeurs = lignes[0], dict(zip(lignes[0], lignes[1], strict=True))
    assert entetes[:3] == ["Référence", "Dispositif", "Statut"]
    assert valeurs["Référence"] == dossier.reference
    assert valeurs["Statut"] == "Déposé"
    assert valeurs["Étape"] == "Dépôt"
    assert valeurs["Demandeur"] == "Léa DURAND"
    assert valeurs["Adresse électronique"] == "durand@exemple.fr"
    assert valeurs["Téléphone"] == "0612345678"
    assert valeurs["Montant demandé"] == "12500.50"  # no thousands separator
    assert valeurs["Catégorie"] == "Spectacle vivant"
    assert valeurs["Date de l’événement"] == "2026-07-14"
    assert valeurs["Lieu"].startswith("12 Rue de la Mairie")
    assert len(valeurs["Déposé le"]) == 16 and valeurs["Déposé le"][4] == "-"
    assert len(valeurs["Échéance de l’étape"]) == 10  # the Dépôt étape's 5 days


def test_keys_give_choice_keys_and_technical_headers(dispositif):
    deposer_exportable(dispositif)
    contenu = _octets("csv", _spec(dispositif, libelles=False))
    lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    valeurs = dict(zip(lignes[0], lignes[1], strict=True))
    assert "categorie" in lignes[0] and "reference" in lignes[0]
    assert valeurs["categorie"] == "spect"


def test_a_formula_typed_by_a_citizen_is_neutralised_numbers_stay(dispositif):
    deposer_exportable(dispositif, demandeur="Martin", nom='=HYPERLINK("x")')
    spec = _spec(dispositif, cles=["champ:nom", "reference"])
    contenu = _octets("csv", spec).decode("utf-8-sig")
    assert "'=HYPERLINK" in contenu
    assert exports.neutraliser("-12.5") == "-12.5"
    classeur = load_workbook(io.BytesIO(_octets("xlsx", spec)), read_only=True)
    rangees = list(classeur.active.iter_rows(values_only=True))
    assert rangees[1][0] == '\'=HYPERLINK("x")'


def test_custom_columns_stay_empty_for_another_dispositifs_dossiers(dispositif):
    autre = dispositif_exportable(code="AUT")
    deposer_exportable(autre, demandeur="Petit")
    contenu = _octets("csv", _spec(dispositif, cles=["reference", "champ:nom"]))
    lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    assert lignes[1][1] == ""


def test_xlsx_parsed_back(dispositif):
    dossier = deposer_exportable(dispositif)
    classeur = load_workbook(io.BytesIO(_octets("xlsx", _spec(dispositif))), read_only=True)
    rangees = list(classeur.active.iter_rows(values_only=True))
    valeurs = dict(zip(rangees[0], rangees[1], strict=True))
    assert valeurs["Référence"] == dossier.reference
    assert valeurs["Montant demandé"] == 12500.5  # a number, to sum in the spreadsheet
    assert valeurs["Catégorie"] == "Spectacle vivant"


def test_ods_parsed_back(dispositif):
    dossier = deposer_exportable(dispositif)
    archive = zipfile.ZipFile(io.BytesIO(_octets("ods", _spec(dispositif))))
    assert archive.namelist()[0] == "mimetype"
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    ns = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    }
    racine = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 - our own output
    rangees = [
        [
            "".join(t for p in c.findall("text:p", ns) for t in p.itertext())
            for c in r.findall("table:table-cell", ns)
        ]
        for r in racine.iter(f"{{{ns['table']}}}table-row")
    ]
    valeurs = dict(zip(rangees[0], rangees[1], strict=True))
    assert valeurs["Référence"] == dossier.reference
    assert valeurs["Demandeur"] == "Léa DURAND"
    assert valeurs["Catégorie"] == "Spectacle vivant"
    montant = next(
        c
        for c in racine.iter(f"{{{ns['table']}}}table-cell")
        if c.get(f"{{{ns['office']}}}value") == "12500.50"
    )
    assert montant.get(f"{{{ns['office']}}}value-type") == "float"


def test_json_parsed_back(dispositif):
    dossier = deposer_exportable(dispositif)
    deposer_exportable(dispositif, demandeur="Martin")
    donnees = json.loads(_octets("json", _spec(dispositif, libelles=False)))
    assert donnees["format"] == "guichet.export_dossiers"
    assert {"cle": "montant", "libelle": "Montant demandé"} in donnees["colonnes"]
    premier = donnees["dossiers"][0]
    assert premier["reference"] == dossier.reference
    assert premier["categorie"] == "spect"
    assert len(donnees["dossiers"]) == 2


def test_geojson_points_for_dossiers_with_coordinates(dispositif):
    avec = deposer_exportable(dispositif)
    deposer_exportable(dispositif, demandeur="Martin", lieu=None)
    donnees = json.loads(_octets("geojson", _spec(dispositif, cles=["reference", "statut"])))
    assert donnees["type"] == "FeatureCollection"
    assert len(donnees["features"]) == 1
    feature = donnees["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [2.8508, 47.5028]}
    assert feature["properties"] == {"reference": avec.reference, "statut": "Déposé"}


def _deplier(contenu: bytes) -> list[str]:
    texte = contenu.decode()
    assert "\n" not in texte.replace("\r\n", "")  # CRLF only
    return texte.replace("\r\n ", "").split("\r\n")


def test_ics_one_all_day_event_per_dossier_with_the_chosen_date(dispositif):
    dossier = deposer_exportable(dispositif, demandeur="Martin, Dupont; et fils")
    deposer_exportable(dispositif, demandeur="Sans date", date_evenement=None)
    contenu = _octets("ics", _spec(dispositif, champ_date="date_evenement"))
    for ligne in contenu.split(b"\r\n"):
        assert len(ligne) <= 75
    lignes = _deplier(contenu)
    assert lignes[0] == "BEGIN:VCALENDAR" and lignes[-2] == "END:VCALENDAR"
    assert lignes.count("BEGIN:VEVENT") == 1
    assert "DTSTART;VALUE=DATE:20260714" in lignes
    assert "DTEND;VALUE=DATE:20260715" in lignes
    assert f"UID:dossier-{dossier.pk}-date_evenement@127.0.0.1" in lignes
    resume = next(x for x in lignes if x.startswith("SUMMARY:"))
    assert resume == f"SUMMARY:{dossier.reference} — Léa MARTIN\\, DUPONT\\; ET FILS"
    description = next(x for x in lignes if x.startswith("DESCRIPTION:"))
    assert "\\n" in description and "Montant demandé : 12500.50" in description


def test_ics_defaults_to_the_etape_deadline(dispositif):
    dossier = deposer_exportable(dispositif)
    lignes = _deplier(_octets("ics", _spec(dispositif, cles=["reference"])))
    echeance = suivi.details([dossier])[dossier.pk].echeance
    assert f"DTSTART;VALUE=DATE:{echeance:%Y%m%d}" in lignes


def test_ics_folding_never_splits_a_character():
    ligne = "DESCRIPTION:" + "é" * 80
    plie = exports.ics_plier(ligne)
    for morceau in plie.encode().split(b"\r\n"):
        assert len(morceau) <= 75
        morceau.decode()  # each physical line is valid UTF-8
    assert plie.replace("\r\n ", "").rstrip("\r\n") == ligne
    assert exports.ics_echapper("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_unknown_column_or_date_field_is_refused(dispositif):
    with pytest.raises(exports.ColonneInconnue):
        _spec(dispositif, cles=["reference", "champ:inexistant"])
    with pytest.raises(exports.ColonneInconnue):
        _spec(dispositif, champ_date="nom")  # not a date field


def test_rows_are_read_in_chunks_with_one_state_query_per_chunk(dispositif):
    for i in range(5):
        deposer_exportable(dispositif, demandeur=f"N{i}")
    spec = _spec(dispositif)
    progression = []
    with CaptureQueriesContext(connection) as requetes:
        rangees = list(exports.lignes(_tous(), spec, taille=2, progression=progression.append))
    assert len(rangees) == 5
    assert progression == [2, 4, 5]
    # One cursor for the dossiers, then per chunk of 2 one query for the guide's states.
    selects = [q["sql"] for q in requetes.captured_queries]
    assert sum("instruction_suiviinstruction" in s for s in selects) == 3
    assert sum('FROM "dossiers_dossier"' in s for s in selects) == 1


def test_the_rows_iterate_the_queryset_with_a_chunk_size(dispositif, monkeypatch):
    deposer_exportable(dispositif)
    appels = []
    iterator = type(_tous()).iterator

    def espion(self, chunk_size=None):
        appels.append(chunk_size)
        return iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(type(_tous()), "iterator", espion)
    list(exports.lignes(_tous(), _spec(dispositif)))
    assert appels == [exports.TAILLE_LOT]


def _copies(dossier, n: int, debut: int) -> None:
    """n more filed dossiers like `dossier`, in one statement (no guide state of their
    own: the life cycle's state, the rows' own cost)."""
    champs = {
        f.attname: getattr(dossier, f.attname)
        for f in Dossier._meta.concrete_fields
        if not f.primary_key and not f.generated
    }
    Dossier.objects.bulk_create(
        Dossier(**champs | {"reference": f"{dossier.reference}-{i}", "code_suivi": ""})
        for i in range(debut, debut + n)
    )


def _pic_csv(spec, taille: int) -> int:
    """Peak of Python's allocations while a CSV of every filed dossier is written to a
    file, as a job does."""
    tracemalloc.start()
    try:
        with tempfile.TemporaryFile() as fichier:
            rangees = exports.lignes(_tous(), spec, taille=taille)
            exports.ecrire(exports.FORMATS["csv"], spec, rangees, fichier)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_rows(dispositif, monkeypatch):
    """Issue 10's « 100,000 dossiers under 300 MB »: four times the rows, the same peak
    (one chunk of dossiers in memory at a time, nothing kept across chunks). The CSV is
    handed on every 4 KB instead of 64 KB, so both sizes pass that buffer's high mark."""
    monkeypatch.setattr(exports, "TAILLE_MORCEAU", 4096)
    dossier = deposer_exportable(dispositif)
    spec = _spec(dispositif)
    _copies(dossier, 249, debut=0)
    _pic_csv(spec, 50)  # warm-up: what is built once (translations, compiled SQL)
    petit = _pic_csv(spec, 50)
    _copies(dossier, 750, debut=249)
    assert _tous().count() == 1000
    grand = _pic_csv(spec, 50)
    assert grand < petit * 1.25, (petit, grand)
