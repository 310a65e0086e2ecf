"""The CRM's message screens: templates with their preview, mapping, outbox."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from notifications.models import Canal, Correspondance, Message, ModeleMessage, Notification, Statut
from tests.queries import assert_page_budget

pytestmark = pytest.mark.django_db

CORPS = "Bonjour {{ usager.prenom }},\nvotre compte est créé."


def donnees(**kwargs):
    return {
        "nom": "Bienvenue",
        "canal": Canal.EMAIL,
        "evenement": "compte.cree",
        "sujet": "Bienvenue {{ usager.prenom }}",
        "corps": CORPS,
    } | kwargs


def test_the_permission_is_needed(client, agent):
    client.force_login(agent)
    assert client.get(reverse("crm:messagerie_modeles")).status_code == 403
    assert "Messages" not in client.get(reverse("crm:home")).content.decode()


def test_create_save_a_draft_then_publish(client_gestionnaire):
    reponse = client_gestionnaire.post(reverse("crm:messagerie_modele_creer"), donnees())
    modele = ModeleMessage.objects.get(nom="Bienvenue")
    assert reponse.status_code == 302 and modele.publie_le is None
    reponse = client_gestionnaire.post(
        reverse("crm:messagerie_modele", args=[modele.pk]), donnees(action="publier"), follow=True
    )
    modele.refresh_from_db()
    assert modele.corps_publie == CORPS
    assert "est publié" in reponse.content.decode()


def test_publishing_with_an_unknown_variable_is_refused_and_says_where(client_gestionnaire):
    corps = "Bonjour {{ usager.prenom }},\nvotre dossier {{ dossier.reference }}."
    reponse = client_gestionnaire.post(
        reverse("crm:messagerie_modele_creer"), donnees(corps=corps, action="publier")
    )
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Ligne 2 : Variable inconnue « dossier »" in page
    assert "la publication est refusée" in page
    # What was typed is kept: saved as a draft, shown again in the field.
    modele = ModeleMessage.objects.get(nom="Bienvenue")
    assert modele.corps == corps and modele.publie_le is None
    assert "votre dossier {{ dossier.reference }}" in page


def test_live_preview_renders_the_sample_or_names_the_unknown_variable(client_gestionnaire):
    url = reverse("crm:messagerie_apercu")
    reponse = client_gestionnaire.post(url, donnees(), HTTP_HX_REQUEST="true")
    page = reponse.content.decode()
    assert 'id="apercu"' in page and "Bienvenue Camille" in page and "<html" not in page
    reponse = client_gestionnaire.post(url, donnees(sujet="Bonjour {{ usager.prenon }}"))
    assert "Objet — Ligne 1 : Variable inconnue « usager.prenon »" in reponse.content.decode()
    assert "Vouliez-vous dire « prenom »" in reponse.content.decode()


def test_send_a_test_mail(client_gestionnaire, django_capture_on_commit_callbacks):
    modele = ModeleMessage.objects.create(**donnees())
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client_gestionnaire.post(
            reverse("crm:messagerie_modele_test", args=[modele.pk]),
            {"destinataire": "moi@exemple.fr"},
            follow=True,
        )
    assert "Le message de test part vers moi@exemple.fr" in reponse.content.decode()
    assert [m.subject for m in mail.outbox] == ["[Test] Bienvenue Camille"]


def test_mapping_add_refused_then_toggle_and_remove(client_gestionnaire):
    bon = ModeleMessage.objects.create(**donnees())
    mauvais = ModeleMessage.objects.create(
        **donnees(nom="Autre", evenement="compte.cree", corps="{{ lien_connexion }}")
    )
    url = reverse("crm:messagerie_correspondances")
    reponse = client_gestionnaire.post(
        url, {"evenement": "compte.mot_de_passe_modifie", "modele": mauvais.pk}
    )
    assert "que cet événement ne fournit pas" in reponse.content.decode()
    assert not Correspondance.objects.filter(modele__in=[bon, mauvais]).exists()
    client_gestionnaire.post(url, {"evenement": "compte.cree", "modele": bon.pk})
    correspondance = Correspondance.objects.get(modele=bon)
    page = client_gestionnaire.get(url).content.decode()
    assert "modèle non publié : rien ne part" in page
    client_gestionnaire.post(
        reverse("crm:messagerie_correspondance", args=[correspondance.pk]), {"action": "desactiver"}
    )
    correspondance.refresh_from_db()
    assert not correspondance.actif
    client_gestionnaire.post(
        reverse("crm:messagerie_correspondance", args=[correspondance.pk]), {"action": "supprimer"}
    )
    assert not Correspondance.objects.filter(modele__in=[bon, mauvais]).exists()


def test_outbox_filters_and_retries_a_failed_message(
    client_gestionnaire, django_capture_on_commit_callbacks
):
    echec = Message.objects.create(
        canal=Canal.EMAIL,
        destinataire="perdu@exemple.fr",
        corps="x",
        statut=Statut.ECHEC,
        derniere_erreur="Destinataire refusé par le serveur de messagerie",
    )
    Message.objects.create(
        canal=Canal.SMS, destinataire="+33612345678", corps="y", statut=Statut.ENVOYE
    )
    page = client_gestionnaire.get(
        reverse("crm:messagerie_file") + "?statut=echec"
    ).content.decode()
    assert "perdu@exemple.fr" in page and "+33612345678" not in page
    assert "Destinataire refusé" in page
    with django_capture_on_commit_callbacks(execute=True):
        client_gestionnaire.post(reverse("crm:messagerie_relancer", args=[echec.pk]))
    echec.refresh_from_db()
    assert echec.statut == Statut.ENVOYE
    assert [m.to for m in mail.outbox] == [["perdu@exemple.fr"]]


def test_outbox_query_budget(client_gestionnaire):
    def grow():
        for i in range(30):
            Message.objects.create(canal=Canal.EMAIL, destinataire=f"u{i}@exemple.fr", corps="x")

    grow()
    assert_page_budget(client_gestionnaire, reverse("crm:messagerie_file"), budget=10, grow=grow)


def test_templates_list_query_budget(client_gestionnaire):
    def grow():
        n = ModeleMessage.objects.count()
        for i in range(5):
            ModeleMessage.objects.create(**donnees(nom=f"Modèle {n + i}"))

    grow()
    assert_page_budget(client_gestionnaire, reverse("crm:messagerie_modeles"), budget=10, grow=grow)


def test_bells_list_and_mark_read(client, citizen, agent):
    Notification.objects.create(destinataire=citizen, titre="Bienvenue sur le portail")
    client.force_login(citizen)
    # The page's header asks for the count once displayed (htmx), at no query's cost.
    assert (
        reverse("portal:notifications_compteur")
        in client.get(reverse("portal:account")).content.decode()
    )
    compteur = reverse("portal:notifications_compteur")
    assert "Notifications (1 non lue)" in client.get(compteur).content.decode()
    page = client.get(reverse("portal:notifications")).content.decode()
    assert "Bienvenue sur le portail" in page and "Nouveau" in page
    assert not Notification.objects.filter(lue_le__isnull=True).exists()
    assert "non lue" not in client.get(compteur).content.decode()

    Notification.objects.create(destinataire=agent, titre="Un dossier vous est attribué")
    client.force_login(agent)
    compteur = reverse("crm:notifications_compteur")
    assert compteur in client.get(reverse("crm:home")).content.decode()
    assert "Notifications (1 non lue)" in client.get(compteur).content.decode()
    page = client.get(reverse("crm:notifications")).content.decode()
    assert "Un dossier vous est attribué" in page


def test_an_individus_page_shows_the_messages_sent_to_its_account(client, agent):
    from tests.usagers.factories import IndividuFactory

    individu = IndividuFactory()
    compte = individu.user or _compte(individu)
    Message.objects.create(
        canal=Canal.EMAIL,
        destinataire=compte.email,
        sujet="Bienvenue sur le portail",
        corps="…",
        usager=compte,
        statut=Statut.ENVOYE,
    )
    Message.objects.create(
        canal=Canal.SMS,
        destinataire="06 98 76 54",
        corps="Mot de passe modifié",
        objet_type=ContentType.objects.get_for_model(compte),
        objet_id=str(compte.pk),
        statut=Statut.ECHEC,
        derniere_erreur="Numéro invalide « 06 98 76 54 »",
    )
    client.force_login(agent)
    page = client.get(reverse("crm:individu", args=[individu.pk])).content.decode()
    assert "Messages envoyés" in page
    assert "Bienvenue sur le portail" in page and "Numéro invalide" in page


def _compte(individu):
    from tests.accounts.factories import UserFactory

    individu.user = UserFactory(email="titulaire@exemple.fr")
    individu.save()
    return individu.user


def test_outbox_pages_keep_the_filters(client_gestionnaire):
    Message.objects.bulk_create(
        Message(canal=Canal.EMAIL, destinataire=f"u{i}@exemple.fr", corps="x", statut=Statut.ECHEC)
        for i in range(51)
    )
    page = client_gestionnaire.get(reverse("crm:messagerie_file") + "?statut=echec&canal=email")
    body = page.content.decode()
    assert "1 / 2" in body
    assert "statut=echec&amp;canal=email&amp;page=2" in body
