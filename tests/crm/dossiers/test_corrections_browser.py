"""I10's journey: an instructeur asks for the correction of two fields from the
Instruction tab; the citizen finds it in « À faire », corrects one field badly (the
error next to it, what was typed kept), then well; the agent sees the dossier back in
instruction with the before → after in its history. axe-core on every page."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from instruction import services_corrections
from notifications import services as notifications_services
from notifications.models import Canal, ModeleMessage
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer
from tests.instruction.factories import StatutFactory, guide_publie
from tests.usagers.factories import IndividuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connecter(page, url, libelle, email, bouton):
    page.goto(url)
    assert_accessible(page, url.strip("/").replace("/", "_"))
    page.get_by_label(libelle).fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name=bouton).click()


def test_a_correction_asked_then_answered(page, instructeur, citizen, dispositif):
    statuts = guide_publie(dispositif)
    correction = StatutFactory(
        etape=statuts["depose"].etape,
        code=services_corrections.CODE_STATUT_CORRECTION,
        libelle="Correction demandée",
        libelle_usager="Une correction vous est demandée",
        couleur="warning",
        masque=True,
    )
    statuts["depose"].suivants.add(correction)
    modele = ModeleMessage.objects.create(
        nom="Correction",
        canal=Canal.EMAIL,
        evenement=services_corrections.EVENEMENT_CORRECTION,
        sujet="À corriger",
        corps="{{ correction.motif }} ({{ correction.champs }}) : {{ lien }}",
    )
    notifications_services.modele_publier(modele)
    notifications_services.correspondance_enregistrer(
        evenement=services_corrections.EVENEMENT_CORRECTION, modele=modele
    )
    dossier = deposer(dispositif, citizen, individu=IndividuFactory(prenom="Léa", nom="Durand"))

    _connecter(
        page,
        "/crm/connexion/",
        "Adresse électronique professionnelle",
        instructeur.email,
        "Se connecter",
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "crm_tableau_de_bord")
    page.goto(f"/crm/dossiers/{dossier.pk}/instruction/")
    assert_accessible(page, "instruction")
    page.get_by_role("link", name="Demander une correction").click()
    # Nothing checked: refused next to the checklist, the motif kept.
    page.get_by_label("Motif").fill("Le nom et le montant ne correspondent pas au RIB.")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Choisissez au moins un champ à corriger.")).to_be_visible()
    expect(page.get_by_label("Motif")).to_have_value(
        "Le nom et le montant ne correspondent pas au RIB."
    )
    assert_accessible(page, "correction_erreur")
    # DSFR checkboxes: their label is what a person clicks.
    page.locator("label[for=id_champs_0]").click()
    page.locator("label[for=id_champs_1]").click()
    expect(page.get_by_label("Nom (nom)")).to_be_checked()
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("La demande de correction est envoyée à l’usager.")).to_be_visible()
    expect(page.locator("#correction-ouverte")).to_contain_text("En attente de l’usager")
    expect(page.locator(".guichet-dossier-entete")).to_contain_text("Correction demandée")
    assert_accessible(page, "instruction_correction_ouverte")
    assert [m.body for m in mail.outbox if m.to == [citizen.email]][-1].startswith(
        "Le nom et le montant ne correspondent pas au RIB. (Nom, Montant)"
    )

    page.context.clear_cookies()
    _connecter(page, "/compte/connexion/", "Adresse électronique", citizen.email, "Connexion")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "mon_compte")
    page.get_by_role("link", name=f"Corriger votre demande « {dispositif.titre} »").click()
    expect(page.get_by_role("heading", name="Corriger ma demande")).to_be_visible()
    assert_accessible(page, "usager_correction")
    page.get_by_label("Montant").fill("douze euros")
    page.get_by_role("button", name="Envoyer ma correction").click()
    expect(page.get_by_text("Certaines informations sont à corriger")).to_be_visible()
    expect(page.get_by_label("Montant")).to_have_value("douze euros")
    assert_accessible(page, "usager_correction_erreur")
    page.get_by_label("Montant").fill("980")
    page.get_by_role("button", name="Envoyer ma correction").click()
    expect(page.get_by_text("Votre correction est enregistrée")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Correction apportée par l’usager")
    assert_accessible(page, "usager_suivi")

    page.context.clear_cookies()
    _connecter(
        page,
        "/crm/connexion/",
        "Adresse électronique professionnelle",
        instructeur.email,
        "Se connecter",
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "crm_retour")
    page.goto(f"/crm/dossiers/{dossier.pk}/instruction/")
    expect(page.locator(".guichet-dossier-entete")).to_contain_text("Déposé")
    expect(page.get_by_role("table", name="Demandes de correction")).to_contain_text(
        "Corrigée par l’usager"
    )
    assert_accessible(page, "instruction_corrigee")
    page.get_by_role("link", name="Historique", exact=True).click()
    expect(page.locator("main")).to_contain_text("Montant : 1")
    expect(page.locator("main")).to_contain_text("→ 980,00")
    assert_accessible(page, "historique")
