"""An instructeur labels a dossier, follows it, puts it in the trash and restores it;
a manager sets up a team, a rule and a label (C14). Every page audited by axe."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.dossiers.routage.factories import EtiquetteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connecter(page, user):
    page.goto("/crm/connexion/")
    assert_accessible(page, "routage_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "routage_tableau_de_bord")


def test_label_follow_trash_and_restore_a_dossier(page, instructeur, dossier):
    instructeur.user_permissions.add(Permission.objects.get(codename="supprimer_dossiers"))
    EtiquetteFactory(libelle="À rappeler", couleur="pink-tuile")
    EtiquetteFactory(libelle="Pièce manquante", couleur="orange-terre-battue")
    _connecter(page, instructeur)

    page.goto(f"/crm/dossiers/{dossier.pk}/")
    assert_accessible(page, "routage_synthese")

    panneau = page.locator("#dossier-etiquettes")
    panneau.get_by_label("Ajouter une étiquette").select_option(label="À rappeler")
    panneau.get_by_role("button", name="Ajouter").click()
    expect(page.locator("#dossier-etiquettes")).to_contain_text("Étiquette « À rappeler » ajoutée.")
    expect(page.locator("#dossier-etiquettes .fr-tag")).to_have_text(["À rappeler"])
    assert_accessible(page, "routage_etiquette_ajoutee")

    page.get_by_role("button", name="Suivre", exact=True).click()
    expect(page.locator("#dossier-suivi")).to_contain_text("Vous suivez ce dossier")
    assert_accessible(page, "routage_suivi")

    page.get_by_role("button", name="Retirer l’étiquette À rappeler").click()
    expect(page.locator("#dossier-etiquettes")).to_contain_text("Aucune étiquette.")

    page.get_by_role("button", name="Mettre à la corbeille").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Corbeille")
    expect(page.locator("table")).to_contain_text(dossier.reference)
    assert_accessible(page, "routage_corbeille")

    page.get_by_role("button", name=f"Restaurer {dossier.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.reference)
    expect(page.locator("main")).to_contain_text("est restauré")
    expect(page.locator("#dossier-suivi")).to_contain_text("Vous suivez ce dossier")
    assert_accessible(page, "routage_restaure")

    page.get_by_role("link", name="Historique").click()
    table = page.locator("table")
    expect(table).to_contain_text("Dossier restauré depuis la corbeille")
    expect(table).to_contain_text("Dossier mis à la corbeille")
    expect(table).to_contain_text("Étiquette ajoutée : À rappeler")
    assert_accessible(page, "routage_historique")


def test_manager_sets_up_a_team_a_rule_and_a_label(page, instructeur, dispositif):
    instructeur.first_name, instructeur.last_name = "Paul", "Instructeur"
    instructeur.save()
    instructeur.user_permissions.add(Permission.objects.get(codename="gerer_equipes"))
    _connecter(page, instructeur)

    page.get_by_role("link", name="Routage", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Équipes")
    assert_accessible(page, "routage_equipes")
    page.get_by_role("link", name="Nouvelle équipe").click()
    assert_accessible(page, "routage_equipe_form")
    page.get_by_label("Nom", exact=True).fill("Pôle associations")
    page.get_by_label("Code").fill("associations")
    page.locator("#contenu").get_by_text("Paul Instructeur").click()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("table")).to_contain_text("Pôle associations")

    page.get_by_role("link", name="Règles de routage").click()
    page.get_by_role("link", name="Nouvelle règle").click()
    page.get_by_label("Nom", exact=True).fill("Subventions")
    page.get_by_label("Communes (codes INSEE)").fill("pas un code")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text("Choisissez une équipe, un agent, ou les deux.")
    assert_accessible(page, "routage_regle_erreurs")
    page.get_by_label("Communes (codes INSEE)").fill("18033")
    page.get_by_label("Équipe").select_option(label="Pôle associations")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("table")).to_contain_text("Subventions")
    assert_accessible(page, "routage_regles")

    page.get_by_role("link", name="Étiquettes", exact=True).click()
    page.get_by_role("link", name="Nouvelle étiquette").click()
    assert_accessible(page, "routage_etiquette_form")
    page.get_by_label("Libellé").fill("Dossier sensible")
    page.get_by_label("Couleur").select_option(label="Violet glycine")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("table")).to_contain_text("Dossier sensible")
    assert_accessible(page, "routage_etiquettes")
