import pytest
from pghistory.models import Events

from tests.accounts.factories import UserFactory
from tests.usagers.factories import IndividuFactory, ProfilFactory, type_profil
from usagers import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def eleonore():
    # Fixed neighbours: random ones may be another Éléonore (Faker's French first names),
    # which would tie with her on "ELEONORE".
    for prenom, nom in [
        ("Paul", "Martin"),
        ("Julie", "Bernard"),
        ("Karim", "Haddad"),
        ("Sophie", "Leroy"),
        ("Lucas", "Moreau"),
    ]:
        IndividuFactory(prenom=prenom, nom=nom)
    return IndividuFactory(
        prenom="Éléonore",
        nom="Dupont",
        email="e.dupont@exemple.fr",
        telephone_mobile="+33612345678",
    )


@pytest.mark.parametrize(
    "query",
    [
        "Éléonore Dupont",
        "eleonore dupont",
        "ELEONORE",
        "eleonor dupond",
        "dupond",
        "e.dupont@exemple",
        "06 12 34 56 78",
    ],
)
def test_individu_search_ignores_accents_case_and_typos(eleonore, query):
    results = selectors.individus_rechercher(query)
    assert results and results[0] == eleonore


def test_search_needs_two_characters():
    IndividuFactory(nom="A")
    assert selectors.individus_rechercher("a") == []


def test_profil_search_by_rna():
    profil = ProfilFactory(nom="Club de judo", rna="W451234567")
    assert selectors.profils_rechercher("W451234567")[0] == profil
    assert selectors.profils_rechercher("w45123")[0] == profil


def test_profil_search_by_name_and_siret():
    profil = ProfilFactory(
        type_profil=type_profil("entreprise"),
        nom="Boulangerie Lefèvre",
        rna="",
        siret="73282932000074",
    )
    assert selectors.profils_rechercher("boulangerie lefevre")[0] == profil
    assert selectors.profils_rechercher("732 829 320 00074")[0] == profil


def test_duplicates_by_email_or_identity():
    a = IndividuFactory(email="meme@exemple.fr")
    b = IndividuFactory(email="MEME@exemple.fr")
    c = IndividuFactory(prenom="Hélène", nom="Durand", email="", date_naissance=a.date_naissance)
    d = IndividuFactory(prenom="helene", nom="DURAND", email="", date_naissance=a.date_naissance)
    assert selectors.doublons_individu(a) == [b]
    assert selectors.doublons_individu(c) == [d]


def test_journal_records_who_changed_what():
    agent = UserFactory(agent=True)
    individu = services.individu_creer(by=agent, prenom="Jean", nom="Martin")
    services.individu_modifier(individu=individu, by=agent, profession="Boulanger")
    events = selectors.journal(individu)
    assert [e.pgh_label for e in events] == ["update", "insert"]
    assert events[0].pgh_diff["profession"] == ["", "Boulanger"]
    assert events[0].pgh_context["user"] == agent.pk
    assert Events.objects.tracks(individu).count() == 2


def test_the_pending_invitations_sent_to_an_address_are_found_by_index():
    """« Mon compte » looks them up by address, whatever its case
    (`invitations_ouvertes_recues`): among 300 pending ones, with the table's
    statistics, by index."""
    from django.db import connection

    from usagers.models import Invitation, RoleMembre

    profil, role = ProfilFactory(), RoleMembre.objects.get(code="membre")
    Invitation.objects.bulk_create(
        Invitation(profil=profil, role=role, email=f"personne{i}@exemple.fr", token=f"j-{i}")
        for i in range(300)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE usagers_invitation")
        cursor.execute("SET LOCAL enable_seqscan = off")  # as on a big table
    plan = Invitation.objects.filter(
        email__iexact="Personne7@Exemple.fr", statut="en_attente"
    ).explain()
    assert "invitation_profil_email" in plan, plan
