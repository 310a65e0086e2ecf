"""Issue 9 — tableau, in a browser (axe-core on each page): who manages rights sets a
profil's default dashboard; an agent of that profil who only reads a dispositif finds
the dossier they follow in « Favoris », opens it (no action button), then filters the
list by label and team."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from dossiers import services_routage
from dossiers.models import Equipe, Etiquette
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import donner_droits
from tests.instruction.factories import guide_publie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, user):
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_profil_dashboard_favoris_and_a_readers_pages(page, citizen):
    dispositif = dispositif_publie(code="LEC")
    guide_publie(dispositif)
    suivi, autre = deposer(dispositif, citizen), deposer(dispositif, citizen)
    etiquette = Etiquette.objects.create(libelle="À rappeler", couleur="pink-tuile")
    equipe = Equipe.objects.create(nom="Accueil", code="accueil")
    gestionnaire = UserFactory(agent=True, email="gestion@exemple.fr", first_name="Gaëlle")
    gestionnaire.user_permissions.add(Permission.objects.get(codename="gerer_droits"))
    donner_droits(gestionnaire, dispositifs=[dispositif])
    services_routage.dossier_etiqueter(dossier=suivi, etiquette=etiquette, by=gestionnaire)
    services_routage.dossier_attribuer_equipe(dossier=autre, equipe=equipe, by=gestionnaire)
    lecteur = UserFactory(agent=True, email="lecteur@exemple.fr", first_name="Lou")
    profil = donner_droits(lecteur, "voir", dispositifs=[dispositif])
    profil.libelle = "Accueil de la mairie"
    profil.save(update_fields=["libelle"])
    services_routage.dossier_suivre(dossier=suivi, agent=lecteur)

    _connexion(page, gestionnaire)
    page.goto("/crm/tableau-de-bord/")
    expect(page.get_by_role("heading", name="Tableaux de bord des profils métier")).to_be_visible()
    assert_accessible(page, "personnaliser_gestionnaire")
    page.get_by_role("link", name="Accueil de la mairie").click()
    expect(page.get_by_role("group", name="Tableau de bord par défaut")).to_be_visible()
    assert_accessible(page, "profil_tableau")
    page.get_by_label("Favoris").fill("1")
    page.locator("#id_tableau__dispositifs").fill("0")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("supérieure ou égale à 1")).to_be_visible()
    assert_accessible(page, "profil_tableau_erreur")
    page.locator("#id_tableau__dispositifs").fill("2")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le profil métier est enregistré.")).to_be_visible()
    assert_accessible(page, "profils")
    page.context.clear_cookies()

    _connexion(page, lecteur)
    expect(page.locator("main h2").first).to_have_text("Favoris")
    expect(page.locator("#favoris")).to_contain_text("1 dossier suivi")
    assert_accessible(page, "tableau_lecteur")
    page.locator("#favoris").get_by_role("link", name=suivi.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(suivi.reference)
    expect(page.get_by_text("votre profil ne vous permet pas de l’instruire")).to_be_visible()
    expect(page.get_by_role("button", name="Attribuer")).to_have_count(0)
    expect(page.get_by_role("button", name="Ne plus suivre")).to_be_visible()
    assert_accessible(page, "dossier_lecteur")

    page.goto("/crm/dossiers/")
    expect(
        page.get_by_role("button", name="Traiter en lot les dossiers sélectionnés")
    ).to_have_count(0)
    assert_accessible(page, "liste_lecteur")
    page.locator("#id_etiquette").select_option(label="À rappeler")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name=suivi.reference)).to_be_visible()
    expect(page.get_by_role("link", name=autre.reference)).to_have_count(0)
    assert_accessible(page, "liste_etiquette")
    page.locator("#id_etiquette").select_option(value="")
    page.locator("#id_equipe").select_option(label="Accueil")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name=autre.reference)).to_be_visible()
    expect(page.get_by_role("link", name=suivi.reference)).to_have_count(0)
    assert_accessible(page, "liste_equipe")
