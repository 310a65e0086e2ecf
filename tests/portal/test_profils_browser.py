import datetime
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.usagers.factories import InvitationFactory, ProfilFactory
from usagers.enums import StatutInvitation
from usagers.models import Membre
from usagers.services import compte_initialiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, email, name):
    expect(page.get_by_role("heading", level=1)).to_contain_text("Connexion")
    assert_accessible(page, name)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_citizen_creates_an_association_and_invites_a_neighbour_who_accepts(
    page, citizen, other_citizen
):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    compte_initialiser(user=other_citizen, prenom="Paul", nom="Simon")

    page.goto("/compte/connexion/")
    _login(page, citizen.email, "connexion")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "mon_compte")

    page.get_by_role("link", name="Créer un profil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un profil")
    assert_accessible(page, "type_de_profil")
    page.get_by_role("link", name="Association", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("association")
    assert_accessible(page, "nouveau_profil")
    page.get_by_label("Nature").select_option(label="Association loi 1901")
    page.get_by_label("Nom ou raison sociale").fill("Les Amis du Parc")
    page.get_by_label("Numéro RNA").fill("W751234567")
    page.get_by_label("Commune").fill("Orléans")
    page.get_by_role("button", name="Créer le profil").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Les Amis du Parc")
    expect(page.get_by_text("Le profil « Les Amis du Parc » est créé.")).to_be_visible()
    assert_accessible(page, "profil_cree")
    page.get_by_label("Adresse électronique de la personne à inviter").fill(other_citizen.email)
    page.get_by_role("button", name="Envoyer l’invitation").click()

    expect(page.get_by_text(f"Une invitation est envoyée à {other_citizen.email}.")).to_be_visible()
    expect(page.get_by_role("cell", name=other_citizen.email, exact=True)).to_be_visible()
    assert_accessible(page, "invitation_envoyee")
    message = next(m for m in mail.outbox if "Invitation à rejoindre" in m.subject)
    assert message.to == [other_citizen.email]
    link = re.search(r"https?://\S+/invitation/\S+/", message.body).group(0)

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    assert_accessible(page, "deconnecte")

    page.goto(urlparse(link).path)
    expect(page.get_by_role("heading", level=2, name="Les Amis du Parc")).to_be_visible()
    assert_accessible(page, "invitation_anonyme")
    page.get_by_role("main").get_by_role("link", name="Se connecter").click()

    expect(page.get_by_label("Adresse électronique")).to_have_value(other_citizen.email)
    _login(page, other_citizen.email, "connexion_invite")
    expect(page.get_by_role("button", name="Accepter l’invitation")).to_be_visible()
    assert_accessible(page, "invitation_connecte")
    page.get_by_role("button", name="Accepter l’invitation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Les Amis du Parc")
    expect(page.get_by_text("Vous êtes maintenant membre du profil")).to_be_visible()
    expect(page.get_by_role("cell", name="Paul SIMON (vous)")).to_be_visible()
    assert_accessible(page, "profil_rejoint")

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mon compte"
    ).click()
    expect(page.get_by_role("link", name="Les Amis du Parc")).to_be_visible()
    assert_accessible(page, "mes_profils")
    assert Membre.objects.filter(
        profil__nom="Les Amis du Parc", individu__user=other_citizen
    ).exists()


def test_expired_and_revoked_invitations_say_so(page, citizen):
    expired = InvitationFactory(
        profil=ProfilFactory(nom="Club ancien"),
        email=citizen.email,
        expire_le=timezone.now() - datetime.timedelta(days=1),
    )
    revoked = InvitationFactory(
        profil=ProfilFactory(nom="Club fermé"),
        email=citizen.email,
        statut=StatutInvitation.REVOQUEE,
    )
    response = page.goto(f"/invitation/{expired.token}/")
    assert response.status == 410
    expect(page.get_by_text("Cette invitation a expiré.")).to_be_visible()
    assert_accessible(page, "invitation_expiree")
    response = page.goto(f"/invitation/{revoked.token}/")
    assert response.status == 410
    expect(page.get_by_text("elle a été révoquée")).to_be_visible()
    assert_accessible(page, "invitation_revoquee")


def test_citizen_edits_data_sees_sessions_and_opens_two_factor_setup(page, citizen):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    page.goto("/compte/connexion/")
    _login(page, citizen.email, "connexion")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "mon_compte")

    page.get_by_role("link", name="Modifier mes informations").click()
    assert_accessible(page, "informations")
    page.get_by_label("Téléphone mobile").fill("12")
    page.get_by_label("Date de naissance").fill("2999-01-01")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_telephone_mobile-messages")).to_contain_text("n’est pas valide")
    expect(page.locator("#id_date_naissance-messages")).to_contain_text("dans le futur")
    expect(page.get_by_label("Téléphone mobile")).to_have_value("12")
    assert_accessible(page, "informations_erreurs")
    page.get_by_label("Téléphone mobile").fill("06 12 34 56 78")
    page.get_by_label("Date de naissance").fill("1985-03-14")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("14 mars 1985")).to_be_visible()
    assert_accessible(page, "mon_compte_complete")

    page.get_by_role("link", name="Voir et fermer mes sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions ouvertes")
    expect(page.get_by_text("Session actuelle")).to_be_visible()
    assert_accessible(page, "sessions")

    page.goto("/mon-compte/")
    assert_accessible(page, "mon_compte_retour")
    page.get_by_role("link", name="Gérer la double authentification").click()
    assert_accessible(page, "double_authentification")
    page.get_by_role("main").get_by_role("link", name="Activer").click()
    # allauth asks for the password again before changing what protects the account.
    assert_accessible(page, "reauthentification")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("img.guichet-qr")).to_be_visible()
    assert_accessible(page, "activer_application")
