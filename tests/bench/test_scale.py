"""The scale benchmark's pure parts (issue 10, bench/scale.py and bench/seed_scale.py):
its goal checks and table, and the 50 dispositifs' form models — each imported and
published as the seeding does, the short one filed with the answers the submission
measure posts. No big database here: the benchmark itself seeds those."""

import pytest

from bench import scale, seed_scale
from bench.seed_dossiers import DISPOSITIFS
from dossiers import services
from dossiers.models import Dispositif, Dossier


def _ligne(**valeurs):
    return scale.ligne("page", **valeurs)


def test_goals_met():
    lignes = [
        _ligne(ms_10k=10, ms_1m=12, ratio=1.2, requetes_10k=7, requetes_1m=7, pct_nue=0.3),
        scale.ligne("export", export=True, ratio=1.0, pct_nue=0.01, pic_mo=150),
        scale.ligne("référence", pct_nue=0.4),
    ]
    assert scale.manques(lignes) == []


@pytest.mark.parametrize(
    ("valeurs", "attendu"),
    [
        ({"ratio": 1.51}, "ratio 1.51 > 1.5"),
        ({"requetes_10k": 7, "requetes_1m": 8}, "requêtes 7 → 8"),
        ({"pct_nue": 0.2}, "20% de la vue nue < 25%"),
        ({"pic_mo": 300}, "pic 300 Mo ≥ 300 Mo"),
    ],
)
def test_each_goal_missed_is_named(valeurs, attendu):
    (manque,) = scale.manques([_ligne(**valeurs)])
    assert manque.startswith("page : ") and attendu in manque


def test_export_is_not_held_to_the_bare_view():
    assert scale.manques([scale.ligne("export", export=True, pct_nue=0.01, pic_mo=299)]) == []


def test_table_marks_growing_queries_and_missing_values():
    table = scale.tableau(
        [
            _ligne(ms_10k=10.04, ms_1m=12.5, ratio=1.245, requetes_10k=7, requetes_1m=7),
            _ligne(requetes_10k=7, requetes_1m=9, pct_nue=0.256, pic_mo=151.2),
        ],
        1_000_000,
    )
    entete, separation, premiere, seconde = table.splitlines()
    assert entete == "| page | ms 10k | ms 1 000 000 | ratio | requêtes | % vue nue | pic Mo |"
    assert separation.count("---:") == 6
    assert premiere == "| page | 10.0 | 12.5 | 1.25 | 7 | — | — |"
    assert seconde == "| page | — | — | — | 7 → 9 ! | 26% | 151 |"


def test_fifty_dispositifs_the_dossiers_benchmarks_first():
    liste = seed_scale.dispositifs()
    assert len(liste) == 50
    assert liste[: len(DISPOSITIFS)] == DISPOSITIFS
    assert len({code for code, _t, _p in liste}) == 50
    assert liste[len(DISPOSITIFS)] == seed_scale.DEPOT


@pytest.mark.django_db
@pytest.mark.parametrize("index", [0, 1, 2, 8, 13, 49])
def test_form_models_import_and_publish(index):
    code, titre, _pieces = seed_scale.dispositifs()[index]
    dispositif = Dispositif.objects.create(titre=titre, slug=f"bench-{code.lower()}", code=code)
    modele = services.modele_importer(seed_scale.formulaire(code, index), dispositif=dispositif)
    publie = services.modele_publier(modele=modele, by=None)
    onglets = list(publie.onglets.all())
    champs = [c.nom for o in onglets for ligne in o.lignes.all() for c in ligne.champs.all()]
    assert publie.statut == publie.Statut.PUBLIE
    assert champs[:2] == ["objet", "precisions"]
    if code == seed_scale.DEPOT[0]:
        assert len(onglets) == 1 and len(champs) == 6
    else:
        assert len(onglets) == 1 + index % 3
        assert len(champs) >= 2 + 4 * len(onglets)


@pytest.mark.django_db
def test_the_short_form_accepts_the_posted_answers():
    code, titre, _pieces = seed_scale.DEPOT
    dispositif = Dispositif.objects.create(titre=titre, slug="bench-dep", code=code)
    modele = services.modele_publier(
        modele=services.modele_importer(seed_scale.formulaire_depot(), dispositif=dispositif),
        by=None,
    )
    (onglet,) = services.modele_onglets(modele)
    dossier = Dossier(dispositif=dispositif, modele=modele)
    cleaned, erreurs = services.etape_valider(
        dossier=dossier, onglet=onglet, data=seed_scale.DONNEES_DEPOT
    )
    assert erreurs == {}
    assert cleaned["categorie"] == "voirie" and cleaned["rappel"] is False
    _cleaned, erreurs = services.etape_valider(dossier=dossier, onglet=onglet, data={})
    assert set(erreurs) == {"objet", "date_constat", "categorie"}


@pytest.mark.django_db
def test_missing_indexes_are_recreated():
    """A seeding stopped between dropping a table's indexes and rebuilding them left the
    table unindexed; the benchmark recreates what the migrated schema has before it
    measures."""
    from django.db import connection

    from bench.seed_dossiers import index_completer, index_de, index_retirer

    attendus = index_de("default")
    with connection.cursor() as cursor:
        retires = index_retirer(cursor, "dossiers_justificatif")
    assert retires and ("dossiers_justificatif", "justificatif_dossier_statut") not in index_de(
        "default"
    )
    refaits = index_completer("default", attendus)
    assert "dossiers_justificatif.justificatif_dossier_statut" in refaits
    assert len(refaits) == len(retires) and index_de("default") == attendus
    assert index_completer("default", attendus) == []
