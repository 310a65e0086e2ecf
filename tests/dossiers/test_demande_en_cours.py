"""selectors.demande_en_cours: the wizard's one hand-written query agrees with the ORM's
definitions (published dispositifs, published versions) and gives the same objects."""

import datetime

import pytest
from django.utils import timezone

from dossiers import selectors, services
from dossiers.models import (
    Champ,
    Dispositif,
    Ligne,
    ListeReferentiel,
    ModeleDossier,
    Onglet,
    ValeurListe,
)
from tests.dossiers.factories import DispositifFactory
from tests.usagers.factories import ProfilFactory

pytestmark = pytest.mark.django_db

PUBLIE = ModeleDossier.Statut.PUBLIE


def _version(dispositif, *, version=1, statut=PUBLIE):
    return ModeleDossier.objects.create(
        dispositif=dispositif,
        version=version,
        statut=statut,
        publie_le=timezone.now() if statut == PUBLIE else None,
    )


def _orm(slug, modele_pk, now):
    """What the wizard's full path finds: the dispositif open to requests with an
    account, and the version, still published."""
    ouvert = Dispositif.objects.publies(now=now).filter(depot_avec_compte=True, slug=slug).exists()
    publie = ModeleDossier.objects.filter(pk=modele_pk, statut=PUBLIE).exists()
    return ouvert and publie


def test_agrees_with_published_dispositifs_at_the_window_bounds():
    now = timezone.now()
    heure = datetime.timedelta(hours=1)
    cas = [
        DispositifFactory(),
        DispositifFactory(inactif=True),
        DispositifFactory(a_venir=True),
        DispositifFactory(expire=True),
        DispositifFactory(depot_avec_compte=False),
        DispositifFactory(publie_du=now, publie_au=now + heure),  # opens now: shown
        DispositifFactory(publie_du=now - heure, publie_au=now),  # closes now: not shown
        DispositifFactory(publie_du=now + heure),
        DispositifFactory(publie_au=now + heure),
    ]
    for dispositif in cas:
        modele = _version(dispositif)
        trouve = selectors.demande_en_cours(dispositif.slug, {modele.pk: None}, now=now)
        assert (trouve is not None) == _orm(dispositif.slug, modele.pk, now), dispositif
    assert [selectors.demande_en_cours(d.slug, {}, now=now) for d in cas] == [None] * len(cas)


def test_a_draft_version_or_another_dispositifs_is_not_found():
    dispositif, autre = DispositifFactory(), DispositifFactory()
    brouillon = _version(dispositif, statut=ModeleDossier.Statut.BROUILLON)
    assert selectors.demande_en_cours(dispositif.slug, {brouillon.pk: None}) is None
    version_autre = _version(autre)
    assert selectors.demande_en_cours(dispositif.slug, {version_autre.pk: None}) is None


def test_gives_the_objects_the_orm_gives():
    dispositif = DispositifFactory(
        mode_operatoire="<p>Déposez.</p>", contact_email="service@mairie.fr"
    )
    modele = _version(dispositif)
    profil = ProfilFactory()

    trouve = selectors.demande_en_cours(dispositif.slug, {modele.pk: profil.pk})

    attendu = ModeleDossier.objects.select_related("dispositif").get(pk=modele.pk)
    for field in ModeleDossier._meta.concrete_fields:
        assert getattr(trouve, field.attname) == getattr(attendu, field.attname), field
    for field in Dispositif._meta.concrete_fields:
        if field.name == "document":
            continue  # the search vector: never read from Python
        valeur = getattr(trouve.dispositif, field.attname)  # deferred ones load themselves
        assert valeur == getattr(attendu.dispositif, field.attname), field
    assert trouve.profil_demandeur.pk == profil.pk
    assert trouve.profil_demandeur.type_profil.code == profil.type_profil.code
    assert trouve.profil_demandeur.nom == profil.nom  # a field not loaded: loads itself


def test_the_profil_is_none_without_one_or_when_gone():
    dispositif = DispositifFactory()
    modele = _version(dispositif)
    assert selectors.demande_en_cours(dispositif.slug, {modele.pk: None}).profil_demandeur is None
    profil = ProfilFactory()
    pk = profil.pk
    profil.delete()
    assert selectors.demande_en_cours(dispositif.slug, {modele.pk: pk}).profil_demandeur is None


def test_among_several_requests_the_dispositifs_own_with_its_profil():
    premier, second = DispositifFactory(), DispositifFactory()
    v1, v2 = _version(premier), _version(second)
    p1, p2 = ProfilFactory(), ProfilFactory()
    etats = {v1.pk: p1.pk, v2.pk: p2.pk}

    trouve = selectors.demande_en_cours(second.slug, etats)

    assert (trouve.pk, trouve.dispositif.pk, trouve.profil_demandeur.pk) == (
        v2.pk,
        second.pk,
        p2.pk,
    )


def test_the_lists_values_are_the_rows_the_structure_compares():
    """The version's central lists' values, read with it, are the rows
    services.modele_structure would read itself: those of every list a field of the
    version uses (a block's sub-field included), every column, in primary-key order."""
    dispositif = DispositifFactory()
    modele = _version(dispositif)
    onglet = Onglet.objects.create(modele=modele, titre="Étape", ordre=1)
    ligne = Ligne.objects.create(onglet=onglet, ordre=1)
    quartiers, autre, inutilisee = (
        ListeReferentiel.objects.create(code=code, libelle=code)
        for code in ("quartiers", "autre", "inutilisee")
    )
    for liste in (inutilisee, quartiers, autre):
        for i in range(3):
            ValeurListe.objects.create(
                liste=liste, cle=f"v{i}", libelle=f"{liste.code} {i}", ordre=3 - i, active=i != 1
            )
    Champ.objects.create(
        ligne=ligne, nom="quartier", libelle="Q", type="choix_unique_liste", liste=quartiers
    )
    bloc = Champ.objects.create(ligne=ligne, nom="enfants", libelle="E", type="bloc_repetable")
    Champ.objects.create(
        ligne=ligne, parent=bloc, nom="ecole", libelle="É", type="choix_unique_liste", liste=autre
    )
    Champ.objects.create(
        ligne=ligne, nom="ville", libelle="V", type="choix_unique_liste", liste=autre
    )

    trouve = selectors.demande_en_cours(dispositif.slug, {modele.pk: None})

    attendu = services._lignes_de_valeurs(ValeurListe.objects.filter(liste__in=[quartiers, autre]))
    assert len(attendu) == 6
    assert trouve.valeurs_listes == attendu


def test_no_list_no_values():
    dispositif = DispositifFactory()
    modele = _version(dispositif)
    assert selectors.demande_en_cours(dispositif.slug, {modele.pk: None}).valeurs_listes == ()
