"""The advanced search (C10): a form, one category at a time, the same results."""

import datetime

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.usagers.factories import IndividuFactory, ProfilFactory

pytestmark = pytest.mark.django_db

URL = reverse("crm:recherche_avancee")


def _cherche(client, **criteres):
    response = client.get(URL, criteres)
    assert response.status_code == 200
    return response


def test_the_empty_form(client_as):
    response = _cherche(client_as("instructeur"))
    assert not response.context["cherche"]
    assert "Rechercher parmi" in response.content.decode()


def test_a_form_without_criterion_says_so(client_as):
    response = _cherche(client_as("instructeur"), categorie="dossiers")
    assert "Indiquez au moins un critère" in response.content.decode()
    assert not response.context["cherche"]


def test_bad_dates_are_refused_next_to_the_field_and_kept(client_as):
    response = _cherche(
        client_as("instructeur"),
        categorie="dossiers",
        nom="Lefèvre",
        depose_du="2026-05-01",
        depose_au="2026-04-01",
        date_naissance="pas une date",
    )
    form = response.context["form"]
    assert "depose_au" in form.errors and "date_naissance" in form.errors
    html = response.content.decode()
    assert "Cette date doit suivre" in html
    assert 'value="Lefèvre"' in html and 'value="pas une date"' in html


def test_forged_choices_are_refused(client_as):
    response = _cherche(
        client_as("instructeur"), categorie="tout", dispositif="abc", statut="brouillon"
    )
    assert set(response.context["form"].errors) == {"categorie", "dispositif", "statut"}


def test_individus_by_names_birth_date_and_commune(client_as):
    naissance = datetime.date(1984, 3, 7)
    helene = IndividuFactory(prenom="Hélène", nom="Lefèvre", date_naissance=naissance)
    IndividuFactory(prenom="Hélène", nom="Lefèvre", date_naissance=datetime.date(1990, 1, 1))
    IndividuFactory(prenom="Paul", nom="Martin", commune="Bourges")
    client = client_as("agent")
    resultats = _cherche(
        client, categorie="individus", nom="lefevbre", prenom="helene", date_naissance="1984-03-07"
    ).context["resultats"]
    assert resultats.individus == [helene]
    par_date = _cherche(client, categorie="individus", date_naissance="1984-03-07")
    assert par_date.context["resultats"].individus == [helene]
    par_commune = _cherche(client, categorie="individus", commune="bourges")
    assert [i.nom for i in par_commune.context["resultats"].individus] == ["Martin"]


def test_profils_by_name(client_as):
    amicale = ProfilFactory(nom="Amicale des Tanneurs")
    ProfilFactory(nom="Club de judo")
    response = _cherche(client_as("agent"), categorie="profils", nom="tanneur")
    assert response.context["resultats"].profils == [amicale]
    assert "Aucun dossier" not in response.content.decode()


def test_dossiers_by_demandeur_dispositif_statut_and_dates(client_as):
    subvention, salle = dispositif_publie(), dispositif_publie(code="SAL")
    lefevre = IndividuFactory(prenom="Hélène", nom="Lefèvre")
    d1 = deposer(subvention, individu=lefevre)
    d2 = deposer(salle, individu=lefevre)
    deposer(subvention, individu=IndividuFactory(nom="Martin"))
    Dossier.objects.filter(pk=d2.pk).update(statut=Dossier.Statut.CLOS)
    client = client_as("instructeur")

    def dossiers(**criteres):
        response = _cherche(client, categorie="dossiers", **criteres)
        return set(response.context["resultats"].dossiers)

    assert dossiers(nom="Lefevre") == {d1, d2}
    assert dossiers(nom="Lefevre", dispositif=subvention.pk) == {d1}
    assert dossiers(dispositif=salle.pk) == {d2}
    assert dossiers(nom="Lefevre", statut="clos") == {d2}
    today = d1.depose_le.date()
    assert dossiers(nom="lefevre", depose_du=today.isoformat()) == {d1, d2}
    assert dossiers(depose_au=(today - datetime.timedelta(days=1)).isoformat()) == set()


def test_an_agent_without_the_right_finds_no_dossier(client_as, lefevre):
    response = _cherche(client_as("agent"), categorie="dossiers", nom="Lefèvre")
    assert response.context["resultats"].dossiers == []
    assert lefevre.reference not in response.content.decode()


def test_query_budget_independent_of_the_data(client_as, dispositif):
    from tests.queries import assert_page_budget

    for _ in range(10):
        deposer(dispositif, individu=IndividuFactory(nom="Bernard"))

    def grow():
        for _ in range(50):
            deposer(dispositif, individu=IndividuFactory(nom="Bernard"))

    assert_page_budget(
        client_as("instructeur"),
        f"{URL}?categorie=dossiers&nom=bernard",
        budget=BUDGET_AVANCEE,
        grow=grow,
    )


# Session and user, the form's dispositifs, the dictionary's corrections, the individus'
# and the profils' ids, the dossiers, their statuts.
BUDGET_AVANCEE = 11
