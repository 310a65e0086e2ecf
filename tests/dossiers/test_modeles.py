import copy

import pytest
from django.core.exceptions import ValidationError

from dossiers import services
from dossiers.models import (
    Champ,
    Ligne,
    ListeReferentiel,
    ModeleDossier,
    Onglet,
    ProprietesVue,
    ValeurListe,
)
from tests.dossiers.factories import DispositifFactory

pytestmark = pytest.mark.django_db


def _modele_exemple(dispositif):
    """A small model: two tabs, a list, a condition and per-view properties."""
    modele = services.modele_brouillon(dispositif=dispositif)
    situation = ListeReferentiel.objects.create(code="situation", libelle="Situation familiale")
    for ordre, (cle, libelle) in enumerate([("celibataire", "Célibataire"), ("marie", "Marié(e)")]):
        ValeurListe.objects.create(liste=situation, cle=cle, libelle=libelle, ordre=ordre)
    demandeur = Onglet.objects.create(modele=modele, titre="Demandeur", aide="<p>Vous</p>", ordre=0)
    ligne = Ligne.objects.create(onglet=demandeur, ordre=0, colonnes=2, titre_section="Identité")
    nom = Champ.objects.create(ligne=ligne, colonne=1, nom="nom", libelle="Nom", type="texte")
    Champ.objects.create(
        ligne=ligne,
        colonne=2,
        nom="situation",
        libelle="Situation",
        type="choix_unique_liste",
        liste=situation,
    )
    projet = Onglet.objects.create(modele=modele, titre="Projet", ordre=1)
    ligne2 = Ligne.objects.create(onglet=projet, ordre=0)
    Champ.objects.create(
        ligne=ligne2,
        nom="nb_enfants",
        libelle="Nombre d’enfants",
        type="entier",
        options={"min": 0, "max": 20},
        condition={"champ": "situation", "op": "=", "valeur": "marie"},
    )
    ProprietesVue.objects.create(champ=nom, vue="internet", obligatoire=True)
    ProprietesVue.objects.create(champ=nom, vue="crm", visible=True, modifiable=False)
    return modele


def test_export_import_round_trip_is_identical():
    source = _modele_exemple(DispositifFactory(code="SUB"))
    exported = services.modele_exporter(source)
    target = DispositifFactory(code="SAL")
    imported = services.modele_importer(copy.deepcopy(exported), dispositif=target)
    again = services.modele_exporter(imported)
    assert {**again, "dispositif": "SUB"} == exported
    assert imported.champs.count() == 3


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="autre"), "n’est pas un modèle de dossier Guichet"),
        (lambda d: d.update(version_format=99), "format 99"),
        (lambda d: d.update(onglets=[]), "aucun onglet"),
        (
            lambda d: d["onglets"][1]["lignes"][0]["champs"][0].update(nom="nom"),
            "utilisé deux fois",
        ),
        (
            lambda d: d["onglets"][0]["lignes"][0]["champs"][0].update(type="hologramme"),
            "type inconnu",
        ),
        (
            lambda d: d["onglets"][0]["lignes"][0]["champs"][0].update(nom="Nom Invalide"),
            "nom technique",
        ),
        (lambda d: d["onglets"][0].pop("titre"), "mal formé"),
    ],
)
def test_bad_import_is_refused_with_the_reason_and_nothing_written(mutate, message):
    exported = services.modele_exporter(_modele_exemple(DispositifFactory(code="SUB")))
    mutate(exported)
    target = DispositifFactory(code="SAL")
    before = (Onglet.objects.count(), Champ.objects.count(), ModeleDossier.objects.count())
    with pytest.raises(services.ImportRefuse, match=message):
        services.modele_importer(exported, dispositif=target)
    assert (Onglet.objects.count(), Champ.objects.count(), ModeleDossier.objects.count()) == before


def test_import_refuses_a_list_that_differs_here():
    exported = services.modele_exporter(_modele_exemple(DispositifFactory(code="SUB")))
    ValeurListe.objects.filter(cle="marie").update(libelle="Marié")
    with pytest.raises(services.ImportRefuse, match="existe déjà ici avec d’autres valeurs"):
        services.modele_importer(exported, dispositif=DispositifFactory(code="SAL"))


def test_publishing_freezes_and_the_next_draft_is_a_copy(django_user_model):
    dispositif = DispositifFactory(code="SUB")
    v1 = _modele_exemple(dispositif)
    services.modele_publier(modele=v1, by=None, note="Première version")
    v1.refresh_from_db()
    assert v1.statut == "publie" and not v1.modifiable and v1.publie_le
    v2 = services.modele_brouillon(dispositif=dispositif)
    assert v2.version == 2 and v2.modifiable
    assert services.modele_exporter(v2) == services.modele_exporter(v1)
    assert services.modele_brouillon(dispositif=dispositif) == v2  # one draft at a time
    with pytest.raises(ValidationError, match="déjà publiée"):
        services.modele_publier(modele=v1, by=None)


def test_an_empty_model_cannot_be_published():
    draft = services.modele_brouillon(dispositif=DispositifFactory())
    with pytest.raises(ValidationError, match="aucun onglet"):
        services.modele_publier(modele=draft, by=None)


def test_a_view_is_copied_to_another():
    modele = _modele_exemple(DispositifFactory())
    n = Champ.objects.filter(modele=modele).count()
    assert services.vue_copier(modele=modele, source="internet", cible="partenaire") == n
    copied = ProprietesVue.objects.get(vue="partenaire", champ__nom="nom")
    assert copied.obligatoire
    # Fields with the defaults in the source get the defaults in the target too.
    assert ProprietesVue.objects.filter(vue="partenaire").count() == n
    with pytest.raises(ValidationError):
        services.vue_copier(modele=modele, source="crm", cible="crm")


def test_published_versions_are_not_edited_through_views():
    modele = _modele_exemple(DispositifFactory())
    services.modele_publier(modele=modele, by=None)
    with pytest.raises(services.ModeleNonModifiable):
        services.vue_copier(modele=modele, source="internet", cible="crm")


def test_list_updates_reach_every_field_using_it():
    modele = _modele_exemple(DispositifFactory())
    champ = Champ.objects.get(modele=modele, nom="situation")
    ValeurListe.objects.create(liste=champ.liste, cle="pacse", libelle="Pacsé(e)", ordre=2)
    assert ("pacse", "Pacsé(e)") in champ.valeurs_choix()
