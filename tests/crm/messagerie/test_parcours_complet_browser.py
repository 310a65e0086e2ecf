"""Issue 6's journey as one: « an admin writes a document template with a condition and
a mail template, previews both on a sample context, and sends a test mail that arrives
once ». One agent holding both rights (document templates and messages), a real SMTP
server (aiosmtpd) as the mail backend; axe-core on every page displayed."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from editique.models import ModeleDocument
from notifications.models import Message, Statut
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser import assert_accessible
from tests.editique.factories import dossier_depose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPS_DOCUMENT = """<h1>Accusé de réception</h1>
<p>Dossier {{ dossier.reference }} de {{ demandeur.nom_complet }}.</p>
{% if dossier.valeurs.salle_equipee %}<p>Vous avez demandé la salle équipée.</p>{% else %}<p>Vous avez demandé la salle nue.</p>{% endif %}"""

CORPS_COURRIEL = (
    "Bonjour {{ usager.prenom }},\n\n"
    "Votre compte sur le portail de {{ autorite }} est créé.\n"
    "Connectez-vous depuis {{ lien_connexion }}."
)


@pytest.fixture
def administrateur(db):
    """An agent (not a superuser) with the document and the message templates' rights."""
    user = UserFactory(email="communication@exemple.fr", agent=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["concevoir_modeles", "gerer_modeles"])
    )
    return user


def test_admin_writes_previews_a_document_and_a_mail_template_and_tests_the_mail(
    page,
    administrateur,
    boite_smtp,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    dossier_depose()  # the « Location de salle » form the document template is for
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(administrateur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    # The document template, with a condition, previewed on the sample context.
    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modèles de document")
    assert_accessible(page, "documents")
    page.get_by_role("link", name="Créer un modèle").click()
    assert_accessible(page, "document_nouveau")
    page.get_by_label("Nom", exact=True).fill("Accusé de réception de location")
    page.get_by_label("Code").fill("accuse-location")
    page.get_by_label("Formulaire").select_option(label="Location de salle")
    page.get_by_label("Corps du document").fill(CORPS_DOCUMENT)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(
        page.get_by_role("heading", level=1, name="Accusé de réception de location")
    ).to_be_visible()
    apercu = page.locator("#apercu")
    expect(apercu).to_contain_text("Aucun problème")
    expect(apercu).to_contain_text("Vous avez demandé la salle équipée.")  # the condition
    expect(apercu).not_to_contain_text("salle nue")
    assert_accessible(page, "document_apercu")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Aperçu PDF").click()
    assert telechargement.value.suggested_filename == "apercu-accuse-location.pdf"
    page.get_by_role("button", name="Publier ce modèle").click()
    expect(page.locator(".fr-alert--success").first).to_contain_text("Version 1 publiée.")
    assert_accessible(page, "document_publie")
    assert ModeleDocument.objects.get().versions.count() == 1

    # The mail template, previewed on the event's sample context, then a test mail.
    page.get_by_role("link", name="Messages", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modèles de message")
    assert_accessible(page, "messages")
    page.get_by_role("link", name="Créer un modèle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau modèle")
    assert_accessible(page, "message_nouveau")
    page.locator("#id_nom").fill("Bienvenue sur le portail")
    page.get_by_label("Canal").select_option(label="Courriel")
    page.get_by_label("Événement", exact=False).first.select_option(
        label="Compte créé sur le portail"
    )
    page.locator("#id_sujet").fill("Bienvenue {{ usager.prenom }}")
    page.locator("#id_corps").fill(CORPS_COURRIEL)
    apercu = page.locator("#apercu")
    expect(apercu).to_contain_text("Objet : Bienvenue Camille")
    expect(apercu).to_contain_text("Votre compte sur le portail de Ville de Belleville-sur-Loire")
    expect(apercu).not_to_contain_text("Variable inconnue")
    assert_accessible(page, "message_apercu")
    page.get_by_role("button", name="Enregistrer et publier").click()
    expect(page.get_by_text("Le modèle « Bienvenue sur le portail » est publié.")).to_be_visible()
    assert_accessible(page, "message_publie")

    expect(page.get_by_label("Envoyer le test à")).to_have_value(administrateur.email)
    page.get_by_role("button", name="Envoyer un message de test").click()
    expect(page.get_by_text(f"Le message de test part vers {administrateur.email}")).to_be_visible()
    assert_accessible(page, "test_envoye")

    # Arrived once: one outbox row, sent, one attempt; one mail at the SMTP server.
    (message,) = Message.objects.filter(modele__nom="Bienvenue sur le portail")
    assert message.statut == Statut.ENVOYE and message.recus.count() == 1
    assert boite_smtp.compte()[message.fournisseur_id] == 1
    (courriel,) = [c for c in boite_smtp.courriels if c["Message-ID"] == message.fournisseur_id]
    assert courriel["Subject"] == "[Test] Bienvenue Camille"
    assert courriel["To"] == administrateur.email
    assert "Votre compte sur le portail de Ville de Belleville-sur-Loire" in (
        courriel.get_body(preferencelist=("plain",)).get_content()
    )

    page.get_by_role("link", name="File d’envoi").click()
    expect(page.locator("tbody")).to_contain_text("[Test] Bienvenue Camille")
    expect(page.locator("tbody")).to_contain_text("Envoyé")
    assert_accessible(page, "file_envoi")
