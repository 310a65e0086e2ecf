"""Query budgets of the portal wizard (P5): showing a step, and posting it (valid or not),
cost the same number of queries whatever the number of tabs, rows, fields and list
values of the form model."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.formulaires import SUBVENTION
from dossiers import services
from dossiers.models import (
    Champ,
    Ligne,
    ListeReferentiel,
    Onglet,
    ProprietesVue,
    ValeurListe,
)
from tests.dossiers.factories import DispositifFactory
from tests.queries import assert_page_budget, count_queries
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

IBAN = "FR7630006000011234567890189"
ETAPE_1 = {
    "guichet-etape": "0",
    "guichet-action": "suivant",
    "nom_association": "Les Amis du Parc",
    "rna": "W751234567",
    "domaine": "sport",
    "nb_adherents": "42",
    "email_contact": "contact@amis-du-parc.fr",
}
# Showing a step: the user; in one query the dispositif, its published version, the
# profil's type and the rows of its central lists' values (selectors.demande_en_cours; no
# individu: only saving needs it). The session comes from its cache (cached_db).
GET_BUDGET = 2
POST_BUDGET = 12
# Reading a published version's structure the first time in a process (tabs, rows,
# fields, view properties, sub-fields and theirs); then it is kept
# (services.modele_structure). Its central lists are loaded with it, and again only when
# their values' rows change (the lists and their values).
STRUCTURE_QUERIES = 5 + 2


@pytest.fixture
def sub():
    dispositif = DispositifFactory(code="SUB", slug="subvention")
    modele = services.modele_importer(SUBVENTION, dispositif=dispositif)
    return services.modele_publier(modele=modele, by=None)


@pytest.fixture
def signed_in(client, citizen):
    individu = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    profil = ProfilFactory(nom="Les Amis du Parc", rna="W751234567", iban=IBAN, bic="AGRIFRPP")
    MembreFactory(individu=individu, profil=profil, role=role("responsable"))
    client.force_login(citizen)
    session = client.session
    session["guichet_profil_courant"] = profil.pk
    session.save()
    return client


def _grow(modele):
    """More of everything, on the first tab and in new tabs: rows of one and two
    columns with conditions, optional fields of several types, a central list with
    values, read-only and hidden fields."""
    counter = {"n": Champ.objects.filter(modele=modele).count()}

    def grow():
        liste = ListeReferentiel.objects.create(code=f"liste-{counter['n']}", libelle="Quartiers")
        ValeurListe.objects.bulk_create(
            ValeurListe(liste=liste, cle=f"q{i}", libelle=f"Quartier {i}", ordre=i)
            for i in range(12)
        )
        premier = modele.onglets.order_by("ordre").first()
        onglets = [premier]
        for i in range(2):
            onglets.append(
                Onglet.objects.create(
                    modele=modele,
                    titre=f"Onglet ajouté {counter['n']}-{i}",
                    aide="<p>Aide.</p>",
                    ordre=10 + counter["n"] + i,
                    condition={"champ": "nb_adherents", "op": ">", "valeur": 0} if i else None,
                )
            )
        for onglet in onglets:
            for j in range(3):
                ligne = Ligne.objects.create(
                    onglet=onglet,
                    ordre=50 + j,
                    colonnes=2,
                    titre_section=f"Section {j}",
                    condition={"champ": "domaine", "op": "=", "valeur": "sport"} if j else None,
                )
                for colonne, (type_, extra) in enumerate(
                    [
                        ("choix_unique_liste", {"liste": liste}),
                        ("choix_multiple", {"choix": [["a", "A"], ["b", "B"], ["c", "C"]]}),
                        ("montant", {}),
                        ("date", {}),
                        ("texte", {"condition": {"champ": "domaine", "op": "=", "valeur": "x"}}),
                        ("oui_non", {}),
                    ][j * 2 : j * 2 + 2],
                    start=1,
                ):
                    counter["n"] += 1
                    champ = Champ.objects.create(
                        ligne=ligne,
                        colonne=colonne,
                        nom=f"ajout_{counter['n']}",
                        libelle=f"Champ ajouté {counter['n']}",
                        type=type_,
                        **extra,
                    )
                    ProprietesVue.objects.create(
                        champ=champ,
                        vue="internet",
                        visible=counter["n"] % 5 != 0,
                        modifiable=counter["n"] % 7 != 0,
                    )
                    ProprietesVue.objects.create(champ=champ, vue="crm")

    return grow


def _url():
    return reverse("portal:demande", kwargs={"slug": "subvention"})


def _count_post(client, data):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(_url(), data)
    return len(captured), response


def test_showing_a_step_costs_the_same_whatever_the_form(signed_in, sub):
    signed_in.get(_url())  # the request starts: prefill and session; structure cached

    assert_page_budget(signed_in, _url(), budget=GET_BUDGET)
    before, _response = count_queries(signed_in, _url())
    _grow(sub)()  # the structure cache is emptied: the next GET reads it again
    cold, response = count_queries(signed_in, _url())
    after, response = count_queries(signed_in, _url())

    assert "Champ ajouté" in response.content.decode()
    assert after == before
    assert cold <= GET_BUDGET + STRUCTURE_QUERIES


def test_posting_a_step_costs_the_same_whatever_the_form(signed_in, sub):
    signed_in.get(_url())
    grow = _grow(sub)

    valid_before, response = _count_post(signed_in, ETAPE_1)
    assert response.status_code == 302
    invalid_before, response = _count_post(signed_in, {**ETAPE_1, "nb_adherents": "abc"})
    assert response.status_code == 200
    grow()
    signed_in.get(_url())  # reads the grown structure once
    valid_after, response = _count_post(signed_in, ETAPE_1)
    assert response.status_code == 302
    invalid_after, response = _count_post(signed_in, {**ETAPE_1, "nb_adherents": "abc"})
    assert response.status_code == 200
    assert "Champ ajouté" in response.content.decode()

    assert valid_before <= POST_BUDGET
    assert invalid_before <= POST_BUDGET
    assert (valid_after, invalid_after) == (valid_before, invalid_before)


def test_a_published_structure_is_read_once_but_list_values_stay_current(signed_in, sub):
    signed_in.get(_url())
    valeur = ValeurListe.objects.get(liste__code="domaine-associatif", cle="sport")
    valeur.libelle = "Sports et loisirs"
    valeur.save()

    body = signed_in.get(_url()).content.decode()

    assert "Sports et loisirs" in body
