"""Issue 8's journey: an instructeur opens a dossier from the CRM list and moves it along
the lifeline (two statuts); the citizen gets the mail and sees the citizen-facing label
on the Suivi tab of their dossier. axe-core on every page displayed."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from instruction.services import EVENEMENT_STATUT
from notifications import services as notifications_services
from notifications.models import Canal, ModeleMessage
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer
from tests.instruction.factories import guide_publie
from tests.usagers.factories import IndividuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_instructeur_moves_a_dossier_and_the_citizen_sees_it(
    page, instructeur, citizen, dispositif
):
    guide_publie(dispositif)
    modele = ModeleMessage.objects.create(
        nom="Statut changé",
        canal=Canal.EMAIL,
        evenement=EVENEMENT_STATUT,
        sujet="Votre demande {{ dossier.reference }} avance",
        corps="Bonjour, {{ statut.libelle }}.",
    )
    notifications_services.modele_publier(modele)
    notifications_services.correspondance_enregistrer(evenement=EVENEMENT_STATUT, modele=modele)
    dossier = deposer(dispositif, citizen, individu=IndividuFactory(prenom="Léa", nom="Durand"))

    page.goto("/crm/connexion/")
    assert_accessible(page, "crm_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(instructeur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "crm_tableau_de_bord")
    page.get_by_role("link", name="Dossiers", exact=True).click()
    expect(page.get_by_role("row", name=dossier.reference)).to_contain_text("Déposé")
    assert_accessible(page, "instruction_liste")
    page.get_by_role("link", name=dossier.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.reference)
    assert_accessible(page, "dossier_synthese")
    page.get_by_role("link", name="Instruction", exact=True).click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Dépôt")
    assert_accessible(page, "instruction_depose")

    page.get_by_role("button", name="Passer au statut « En instruction »").click()
    expect(page.get_by_text("Le dossier est passé au statut « En instruction ».")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_contain_text("Instruction")
    assert_accessible(page, "instruction_en_instruction")

    # « Refusé » wants a motif: refused next to the field.
    expect(page.get_by_text("Obligatoire pour : Passer au statut « Refusé ».")).to_be_visible()
    page.get_by_role("button", name="Passer au statut « Refusé »").click()
    expect(page.get_by_text("Indiquez le motif de ce changement.")).to_be_visible()
    assert_accessible(page, "instruction_motif_manquant")
    page.get_by_role("button", name="Passer au statut « Accordé »").click()
    expect(page.locator(".guichet-dossier-entete")).to_contain_text("Accordé")
    expect(page.get_by_role("table")).to_contain_text("En instruction")
    assert_accessible(page, "instruction_accorde")

    assert [m.body for m in mail.outbox if m.to == [citizen.email]][-2:] == [
        "Bonjour, Votre demande est en cours d’examen.",
        "Bonjour, Votre demande est accordée.",
    ]

    page.context.clear_cookies()
    page.goto("/compte/connexion/")
    assert_accessible(page, "usager_connexion")
    page.get_by_label("Adresse électronique").fill(citizen.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "mon_compte")
    page.goto(f"/mon-compte/demandes/{dossier.pk}/")
    expect(page.locator("main")).to_contain_text("Votre demande est accordée")
    expect(page.locator("main")).to_contain_text("Votre demande est en cours d’examen")
    assert_accessible(page, "usager_suivi")
