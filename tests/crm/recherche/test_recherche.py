"""The CRM search (C10): the header's box → /crm/recherche/?q=, grouped results."""

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.selectors_recherche import Forme, forme
from tests.crm.dossiers.conftest import deposer
from tests.queries import assert_page_budget
from tests.usagers.factories import IndividuFactory, ProfilFactory

pytestmark = pytest.mark.django_db

URL = reverse("crm:recherche")


def _cherche(client, q, **extra):
    response = client.get(URL, {"q": q, **extra})
    assert response.status_code == 200
    return response.context["resultats"]


@pytest.mark.parametrize(
    ("texte", "attendue"),
    [
        ("2026-SUB1-000012", Forme.REFERENCE),
        ("2026-sub1", Forme.REFERENCE),
        ("helene.lefevre@exemple.fr", Forme.EMAIL),
        ("06 12 34 56 78", Forme.TELEPHONE),
        ("+33 6 12 34 56 78", Forme.TELEPHONE),
        ("123 456 789 00012", Forme.SIRET),
        ("123456789", Forme.SIRET),
        ("Lefèvre", Forme.TEXTE),
        ("   ", Forme.VIDE),
    ],
)
def test_the_shape_of_the_text(texte, attendue):
    assert forme(texte) == attendue


@pytest.mark.parametrize(
    "q",
    ["Lefèvre", "lefevre", "LEFEVRE", "Lefevbre", "helene lefevre", "Hélène"],
)
def test_a_name_finds_the_individu_and_her_dossiers(client_as, lefevre, dupont, q):
    resultats = _cherche(client_as("instructeur"), q)
    assert resultats.individus[0] == lefevre.demandeur_individu
    assert resultats.dossiers == [lefevre]


def test_a_misspelt_name_is_tolerated(client_as, lefevre, dupont):
    resultats = _cherche(client_as("instructeur"), "Dupond")
    assert resultats.individus == [dupont.demandeur_individu]
    assert resultats.dossiers == [dupont]


def test_the_reference_whole_or_its_beginning(client_as, lefevre, dupont):
    client = client_as("instructeur")
    assert _cherche(client, lefevre.reference).dossiers == [lefevre]
    assert _cherche(client, lefevre.reference.lower()).dossiers == [lefevre]
    debut = lefevre.reference.rsplit("-", 1)[0]  # "2026-SUB1": both dossiers
    assert set(_cherche(client, debut).dossiers) == {lefevre, dupont}
    # A fragment: its number, zeros and all.
    assert _cherche(client, dupont.reference.rsplit("-", 1)[1]).dossiers == [dupont]


def test_a_reference_prefix_reads_its_index_backwards_latest_first(client_as, users, dispositif):
    """Issue 9's benchmark: « 2026-SUB » may match a whole year of a dispositif. The
    latest references come first, read backwards on the byte-ordered index of the
    reference (prefix and order alike) instead of sorting every match."""
    from django.db import connection

    from dossiers.selectors_recherche import _dossiers

    deposes = [deposer(dispositif, individu=IndividuFactory(nom="Bernard")) for _ in range(3)]
    debut = deposes[0].reference.rsplit("-", 1)[0]
    trouves = _cherche(client_as("instructeur"), debut.lower()).dossiers
    assert trouves == sorted(deposes, key=lambda d: d.reference, reverse=True)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # as on a big table
        cursor.execute("SET LOCAL enable_sort = off")  # a sort would be every match
    plan = _dossiers(users["instructeur"], debut, Forme.REFERENCE, [], [])[:9].explain()
    assert "dossier_reference_octets" in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.parametrize("q", ["helene.lefevre@exemple.fr", "06 12 34 56 78", "0612345678"])
def test_an_email_or_a_phone(client_as, lefevre, dupont, q):
    resultats = _cherche(client_as("instructeur"), q)
    assert resultats.individus == [lefevre.demandeur_individu]
    assert resultats.dossiers == [lefevre]


def test_a_siret_finds_the_profil_and_its_dossiers(client_as, dispositif):
    profil = ProfilFactory(nom="Les Tanneurs", siret="73282932000074")
    dossier = services.dossier_commencer(dispositif=dispositif, user=None, profil=None)
    dossier.donnees = {"nom": "x", "montant": "10"}
    dossier.demandeur_profil = profil
    dossier = services.dossier_deposer(dossier=dossier, user=None)
    client = client_as("instructeur")
    for q in ("73282932000074", "732 829 320 00074"):
        resultats = _cherche(client, q)
        assert resultats.profils == [profil]
        assert resultats.dossiers == [dossier]


def test_a_draft_or_an_unscoped_agent_never_sees_a_dossier(client_as, dispositif, lefevre):
    brouillon = services.dossier_commencer(dispositif=dispositif, user=None, profil=None)
    brouillon.demandeur_individu = lefevre.demandeur_individu
    brouillon.save()
    resultats = _cherche(client_as("instructeur"), "Lefèvre")
    assert resultats.dossiers == [lefevre]  # the draft is nobody's in the CRM
    # An agent without « instruire les dossiers » finds the individu, no dossier.
    response = client_as("agent").get(URL, {"q": "Lefèvre"})
    assert response.context["resultats"].dossiers == []
    assert response.context["resultats"].individus == [lefevre.demandeur_individu]
    assert lefevre.reference not in response.content.decode()
    assert "Aucun dossier trouvé" not in response.content.decode()


@pytest.mark.parametrize(
    "q", ["", "   ", "%", "'; drop table x; --", "\x00", "é" * 5000, "2026-", "@@", "(((", "a"]
)
def test_empty_or_garbage_gives_a_page(client_as, lefevre, q):
    response = client_as("instructeur").get(URL, {"q": q})
    assert response.status_code == 200
    assert lefevre.reference not in response.content.decode()


def test_the_page_shows_each_category_with_links(client_as, lefevre):
    ProfilFactory(nom="Amicale Lefèvre")
    response = client_as("instructeur").get(URL, {"q": "lefevre"})
    html = response.content.decode()
    assert reverse("crm:dossier", args=[lefevre.pk]) in html
    assert reverse("crm:individu", args=[lefevre.demandeur_individu_id]) in html
    assert "Amicale Lefèvre" in html
    assert 'value="lefevre"' in html  # the header's box keeps the text


def test_more_than_shown_offers_to_see_all(client_as, dispositif):
    for _ in range(10):
        deposer(dispositif, individu=IndividuFactory(nom="Bernard"))
    client = client_as("instructeur")
    response = client.get(URL, {"q": "bernard"})
    resultats = response.context["resultats"]
    assert len(resultats.dossiers) == 8 and resultats.plus_de_dossiers
    assert len(resultats.individus) == 8 and resultats.plus_d_individus
    html = response.content.decode()
    assert "categorie=dossiers" in html and "Voir tous les individus" in html
    tout = _cherche(client, "bernard", categorie="dossiers")
    assert len(tout.dossiers) == 10 and not tout.plus_de_dossiers
    assert tout.individus == []


def test_query_budget_independent_of_the_data(client_as, dispositif):
    for _ in range(10):
        deposer(dispositif, individu=IndividuFactory(nom="Bernard"))

    def grow():
        for _ in range(50):
            deposer(dispositif, individu=IndividuFactory(nom="Bernard"))

    assert_page_budget(
        client_as("instructeur"), f"{URL}?q=bernard", budget=BUDGET_RECHERCHE, grow=grow
    )


# Session and user, the dictionary's corrections and the search for individus and for
# profils, the dossiers (their ids, then their rows: selectors_recherche), their statuts
# (the instruction guide's provider).
BUDGET_RECHERCHE = 11


def test_the_header_box_is_on_every_crm_page_for_agents_only(client_as):
    home = reverse("crm:home")
    html = client_as("agent").get(home).content.decode()
    assert 'id="recherche-rapide"' in html and f'action="{URL}"' in html
    login = client_as("anonymous").get(reverse("crm:login")).content.decode()
    assert 'id="recherche-rapide"' not in login
