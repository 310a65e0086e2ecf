"""Issue 7's journey « an association member files and another member sees it »: the
first member files for the association and gets the acknowledgement with its PDF; the
second signs in (their unread notices shown), finds it in « Mes demandes » and opens its
Suivi, Ma demande and Documents tabs. axe-core on every page displayed."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from dossiers.models import Dossier
from notifications.models import Notification
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.test_access_matrix import _dispositif_publie
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.services import compte_initialiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, user):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")


def test_a_member_files_for_the_association_another_member_follows_it(
    page, citizen, other_citizen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.GUICHET_ACCUSE_RECEPTION = True
    dispositif = _dispositif_publie()
    camille = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    lucas = compte_initialiser(user=other_citizen, prenom="Lucas", nom="Bernard")
    asso = ProfilFactory(nom="Les Amis du Vieux Pont")
    MembreFactory(individu=camille, profil=asso, role=role("responsable"))
    MembreFactory(individu=lucas, profil=asso)
    Notification.objects.create(destinataire=other_citizen, titre="Bienvenue dans l’association")

    # Camille files for the association.
    _connexion(page, citizen)
    assert_accessible(page, "mon_compte")
    page.get_by_role("button", name="Agir pour ce profil : Les Amis du Vieux Pont").click()
    expect(page.get_by_text("Vous agissez maintenant pour le profil")).to_be_visible()
    assert_accessible(page, "profil_courant")
    page.goto(f"/demarches/{dispositif.slug}/demande/")
    page.get_by_label("Nom").fill("Martin")
    assert_accessible(page, "formulaire")
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est déposée")
    assert_accessible(page, "confirmation")
    dossier = Dossier.objects.get(dispositif=dispositif)
    assert dossier.demandeur_profil == asso

    # The acknowledgement left with its PDF receipt.
    [courriel] = [m for m in mail.outbox if dossier.reference in m.subject]
    assert courriel.to == [citizen.email]
    assert courriel.attachments[0][1].startswith(b"%PDF")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    assert_accessible(page, "deconnecte")

    # Lucas, another member, signs in: his unread notice is shown, then his requests.
    page.goto("/compte/connexion/")
    assert_accessible(page, "connexion")
    _connexion(page, other_citizen)
    expect(page.get_by_text("Vous avez une notification non lue")).to_be_visible()
    assert_accessible(page, "mon_compte_notifications")
    expect(
        page.get_by_role("link", name=f"{dispositif.titre} — {dossier.reference}")
    ).to_be_visible()
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mes demandes"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes demandes")
    expect(page.get_by_text("pour Les Amis du Vieux Pont")).to_be_visible()
    assert_accessible(page, "mes_demandes")
    page.get_by_label("État").select_option("cloture")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("Aucune demande ne correspond à ces filtres.")).to_be_visible()
    assert_accessible(page, "mes_demandes_filtrees")
    page.get_by_role("link", name="Effacer les filtres").click()

    page.get_by_role("link", name=dispositif.titre).click()
    expect(page.get_by_role("heading", name="Où en est ma demande ?")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_contain_text("en cours de traitement")
    expect(page.get_by_text("Accusé de réception disponible")).to_be_visible()
    assert_accessible(page, "suivi")

    page.get_by_role("link", name="Ma demande").click()
    expect(page.get_by_role("heading", name="Ce que vous avez déclaré")).to_be_visible()
    expect(page.locator(".guichet-donnees")).to_contain_text("Martin")
    assert_accessible(page, "ma_demande")

    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("heading", name="Documents reçus")).to_be_visible()
    expect(page.locator("object[type='application/pdf']")).to_be_attached()
    assert_accessible(page, "documents")
