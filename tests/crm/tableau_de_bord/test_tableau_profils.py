"""Issue 9 — tableau: dashboards per profil métier (C1) and the « Favoris » dashlet.

An agent without a composition of their own sees the union of their profils' dashboards
(each profil's blocks in its order, profils by libellé, a block once), less the blocks
they may not have; with no profil proposing one, every block they may have. The
profil's dashboard is edited on its CRM page and in the Django admin."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services_tableau
from dossiers import selectors_routage, services_routage
from dossiers.models import Dossier, ProfilMetier
from dossiers.selectors_droits import oublier_portee
from dossiers.services_gestion import historique_ecrire
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import ProfilMetierFactory, donner_droits

pytestmark = pytest.mark.django_db

HOME = "/crm/"
MODIFIER = "/crm/tableau-de-bord/modifier/"


def _codes(client):
    return [dashlet.code for dashlet, _ctx in client.get(HOME).context["blocs"]]


def _profil_avec(agent, libelle, tableau):
    profil = ProfilMetierFactory(libelle=libelle, tableau_de_bord=tableau)
    profil.agents.add(agent)
    oublier_portee(agent)
    return profil


def test_the_profils_dashboard_is_the_default(client, instructeur):
    _profil_avec(instructeur, "B — Accueil", ["taches", "favoris", "bannettes"])
    _profil_avec(instructeur, "A — Direction", ["dispositifs", "bannettes", "inconnu"])
    client.force_login(instructeur)
    # Profils by libellé, each one's blocks in its order, a block once; « inconnu » (a
    # dashlet no longer registered) is left out.
    assert _codes(client) == ["dispositifs", "bannettes", "taches", "favoris"]


def test_a_block_the_agent_may_not_have_is_left_out(client, agent):
    _profil_avec(agent, "Accueil", ["bannettes", "taches"])
    client.force_login(agent)
    # No « instruire les dossiers » permission: no dossier dashlet, whatever the profil.
    assert _codes(client) == ["taches"]


def test_without_a_profil_dashboard_every_block(client, instructeur):
    client.force_login(instructeur)
    assert _codes(client)[0] == "bannettes" and "favoris" in _codes(client)


def test_the_agent_composes_from_the_profils_and_comes_back_to_it(client, instructeur):
    _profil_avec(instructeur, "Accueil", ["favoris", "mes_dossiers"])
    client.force_login(instructeur)
    page = client.get(reverse("crm:tableau_personnaliser")).content.decode()
    assert "Vous voyez le tableau de bord de votre profil" in page
    assert "Revenir au tableau de mon profil" not in page
    client.post(MODIFIER, {"action": "ajouter", "dashlet": "en_retard"})
    # The first change starts from what the agent saw.
    assert services_tableau.codes_du_tableau(instructeur) == [
        "favoris",
        "mes_dossiers",
        "en_retard",
    ]
    page = client.get(reverse("crm:tableau_personnaliser")).content.decode()
    assert "Revenir au tableau de mon profil" in page
    reponse = client.post(MODIFIER, {"action": "reinitialiser"}, follow=True)
    assert "revenu à celui de votre profil" in reponse.content.decode()
    assert _codes(client) == ["favoris", "mes_dossiers"]


def test_the_profil_page_edits_its_dashboard(client):
    gestionnaire = UserFactory(agent=True)
    gestionnaire.user_permissions.add(Permission.objects.get(codename="gerer_droits"))
    profil = ProfilMetierFactory(libelle="Accueil", code="accueil", tableau_de_bord=["taches"])
    client.force_login(gestionnaire)
    url = reverse("crm:droits_profil", args=[profil.pk])
    page = client.get(url).content.decode()
    assert "Tableau de bord par défaut" in page and 'name="tableau__taches"' in page
    data = {
        "libelle": "Accueil",
        "code": "accueil",
        "tableau__favoris": "2",
        "tableau__bannettes": "1",
        "tableau__taches": "",
    }
    assert client.post(url, data).status_code == 302
    profil.refresh_from_db()
    assert profil.tableau_de_bord == ["bannettes", "favoris"]
    # A position that is not a number: the message beside it, the input kept, nothing saved.
    reponse = client.post(url, {**data, "libelle": "Accueil bis", "tableau__favoris": "deux"})
    assert reponse.status_code == 400
    html = reponse.content.decode()
    assert "Saisissez un nombre entier." in html and 'value="Accueil bis"' in html
    profil.refresh_from_db()
    assert profil.libelle == "Accueil" and profil.tableau_de_bord == ["bannettes", "favoris"]
    # Who manages rights finds the profils from the dashboard's page.
    page = client.get(reverse("crm:tableau_personnaliser")).content.decode()
    assert f"{url}#tableau-de-bord" in page and "Tableaux de bord des profils métier" in page


def test_an_instructeur_does_not_see_the_profils_list(client, instructeur):
    ProfilMetierFactory(libelle="Accueil")
    client.force_login(instructeur)
    page = client.get(reverse("crm:tableau_personnaliser")).content.decode()
    assert "Tableaux de bord des profils métier" not in page


def test_the_model_refuses_an_unknown_block():
    profil = ProfilMetierFactory.build(libelle="X", code="x", tableau_de_bord=["bannettes", "zz"])
    with pytest.raises(ValidationError) as erreur:
        profil.full_clean()
    assert "Blocs inconnus : zz" in str(erreur.value)
    profil.tableau_de_bord = "bannettes"
    with pytest.raises(ValidationError):
        profil.full_clean()


def test_the_admin_edits_the_profils_dashboard(admin_client):
    profil = ProfilMetierFactory(libelle="Accueil", code="accueil")
    url = reverse("admin:dossiers_profilmetier_change", args=[profil.pk])
    page = admin_client.get(url).content.decode()
    assert "Tableau de bord par défaut" in page and "favoris (Favoris)" in page
    data = {
        "libelle": "Accueil",
        "code": "accueil",
        "tableau_de_bord": '["favoris", "taches"]',
        "droits_dispositifs-TOTAL_FORMS": "0",
        "droits_dispositifs-INITIAL_FORMS": "0",
    }
    assert admin_client.post(url, data).status_code == 302
    profil.refresh_from_db()
    assert profil.tableau_de_bord == ["favoris", "taches"]
    reponse = admin_client.post(url, {**data, "tableau_de_bord": '["nimporte"]'})
    assert reponse.status_code == 200 and "Blocs inconnus : nimporte" in reponse.content.decode()


# --- « Favoris » --------------------------------------------------------------------


def test_favoris_lists_the_followed_dossiers_latest_change_first(instructeur, citizen):
    dispositif = dispositif_publie(code="FAV")
    ancien, recent, non_suivi = (deposer(dispositif, citizen) for _ in range(3))
    for dossier in (ancien, recent):
        services_routage.dossier_suivre(dossier=dossier, agent=instructeur)
    passe = timezone.now() - datetime.timedelta(days=3)
    Dossier.objects.filter(pk__in=[ancien.pk, recent.pk]).update(updated_at=passe)
    # A history line makes « ancien » the latest changed, without touching its row.
    historique_ecrire(ancien, par=instructeur, nature="autre", libelle="Appel du demandeur")
    favoris = selectors_routage.favoris(instructeur)
    assert [d.pk for d in favoris["dossiers"]] == [ancien.pk, recent.pk]
    assert favoris["nombre"] == 2 and not favoris["plus"]
    assert non_suivi.pk not in [d.pk for d in favoris["dossiers"]]


def test_favoris_stay_within_the_rights(client, citizen):
    vu, cache = dispositif_publie(code="VU"), dispositif_publie(code="CACHE")
    agent = UserFactory(agent=True)
    donner_droits(agent, "voir", dispositifs=[vu])
    dossier_vu, dossier_cache = deposer(vu, citizen), deposer(cache, citizen)
    services_routage.dossier_suivre(dossier=dossier_vu, agent=agent)
    services_routage.dossier_suivre(dossier=dossier_cache, agent=agent)  # rights changed since
    client.force_login(agent)
    html = client.get(HOME).content.decode()
    assert dossier_vu.reference in html and dossier_cache.reference not in html
    assert "1 dossier suivi" in html
    # A reader is not offered to file a dossier from the « Dispositifs » block.
    assert "Dispositifs" in html and "Saisir un nouveau dossier" not in html
    # « Suivre » needs only « voir »: a reader keeps a dossier in Favoris.
    client.post(reverse("crm:dossier_suivre", args=[dossier_vu.pk]), {"action": "ne_plus_suivre"})
    assert selectors_routage.favoris(agent)["nombre"] == 0
    reponse = client.post(reverse("crm:dossier_suivre", args=[dossier_vu.pk]), {"action": "suivre"})
    assert reponse.status_code == 302 and selectors_routage.favoris(agent)["nombre"] == 1


def test_favoris_count_stops_at_the_ceiling(instructeur, citizen, monkeypatch):
    dispositif = dispositif_publie(code="PLAF")
    for _ in range(3):
        services_routage.dossier_suivre(dossier=deposer(dispositif, citizen), agent=instructeur)
    monkeypatch.setattr(selectors_routage, "FAVORIS_PLAFOND", 2)
    favoris = selectors_routage.favoris(instructeur)
    assert (favoris["nombre"], favoris["plus"]) == (2, True)


def test_the_favoris_dashlet_costs_the_same_with_more_follows(client, instructeur, citizen):
    _profil_avec(instructeur, "Suivi", ["favoris"])
    dispositif = dispositif_publie(code="BUD")
    services_routage.dossier_suivre(dossier=deposer(dispositif, citizen), agent=instructeur)
    client.force_login(instructeur)
    with CaptureQueriesContext(connection) as avant:
        client.get(HOME)
    for _ in range(12):
        dossier = deposer(dispositif, citizen)
        services_routage.dossier_suivre(dossier=dossier, agent=instructeur)
    with CaptureQueriesContext(connection) as apres:
        reponse = client.get(HOME)
    assert len(apres) == len(avant) <= BUDGET_FAVORIS
    assert (
        reponse.content.decode().count('href="/crm/dossiers/') >= selectors_routage.FAVORIS_LIGNES
    )


# Session and user, the scope (profils: the dashboard's composition too), the agent's
# own composition, the follows' count and the page of them, the « Nouveau contact »
# header's reads.
BUDGET_FAVORIS = 8


def test_profils_without_dashboard_change_nothing(instructeur):
    ProfilMetier.objects.filter(agents=instructeur).update(tableau_de_bord=[])
    oublier_portee(instructeur)
    assert services_tableau.codes_du_tableau(instructeur)[0] == "bannettes"
