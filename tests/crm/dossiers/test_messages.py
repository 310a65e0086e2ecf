"""The conversation tab in the CRM (P11): thread, reply, open/close, downloads, access
(agents without the right: 404), query budget."""

import pytest
from django.urls import reverse

from common.extensions import onglets_crm
from dossiers import services_conversation as services
from dossiers.models import Conversation, MessageDossier
from tests.dossiers.conversation import conversation_avec, dossier_depose, pdf
from tests.queries import assert_page_budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(dossier):
    return reverse("crm:dossier_messages", args=[dossier.pk])


def test_open_write_close_reopen(client, citizen, instructeur, media):
    dossier = dossier_depose(citizen)
    client.force_login(instructeur)
    page = client.get(url(dossier)).content.decode()
    assert "Ouvrir la conversation" in page
    assert "<textarea" not in page
    assert client.post(url(dossier), {"texte": "Trop tôt"}).status_code == 400
    assert client.post(url(dossier), {"action": "ouvrir"}).status_code == 302
    assert Conversation.objects.get(dossier=dossier).ouverte
    reponse = client.post(
        url(dossier), {"texte": "Merci de joindre le budget.", "fichiers": [pdf("modele.pdf")]}
    )
    assert reponse.status_code == 302
    message = MessageDossier.objects.get(dossier=dossier)
    assert (message.cote, message.via, message.auteur) == ("agent", "crm", instructeur)
    assert client.post(url(dossier), {"action": "fermer"}).status_code == 302
    assert not Conversation.objects.get(dossier=dossier).ouverte
    page = client.get(url(dossier)).content.decode()
    assert "Fermée à l’usager" in page
    assert "Rouvrir la conversation" in page
    # Agents may still write once closed: a last piece of information.
    assert client.post(url(dossier), {"texte": "Dossier complet, merci."}).status_code == 302
    assert not Conversation.objects.get(dossier=dossier).ouverte


def test_the_citizens_answer_is_new_and_counted(client, citizen, instructeur, media):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur)
    message = services.message_poster(
        dossier=dossier, auteur=citizen, cote="usager", texte="Voici.", fichiers=[pdf("rib.pdf")]
    )
    [onglet] = [o for o in onglets_crm(dossier, instructeur) if o.code == "messages"]
    assert onglet.compteur(dossier, instructeur) == 1
    client.force_login(instructeur)
    page = client.get(url(dossier)).content.decode()
    assert page.count(">Nouveau<") == 1
    assert "nouveau(x)" not in page  # read now: the tab's counter is gone
    piece = message.pieces_jointes.get()
    reponse = client.get(reverse("crm:message_piece_jointe", args=[dossier.pk, piece.pk]))
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content).startswith(b"%PDF")
    assert ">Nouveau<" not in client.get(url(dossier)).content.decode()


def test_access(client, citizen, agent, instructeur):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur)
    assert client.get(url(dossier)).status_code == 302  # to the agents' login
    client.force_login(citizen)
    assert client.get(url(dossier)).status_code == 403
    client.force_login(agent)  # an agent without « instruire les dossiers »
    assert client.get(url(dossier)).status_code == 404
    assert client.post(url(dossier), {"action": "fermer"}).status_code == 404
    assert Conversation.objects.get(dossier=dossier).ouverte


def test_query_budget_is_the_same_with_3_and_30_messages(client, citizen, instructeur, media):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur, n=3)
    services.message_poster(
        dossier=dossier, auteur=citizen, cote="usager", texte="PJ", fichiers=[pdf()]
    )
    client.force_login(instructeur)
    client.get(url(dossier))

    def plus():
        conversation_avec(dossier, instructeur, n=26)
        services.message_poster(
            dossier=dossier, auteur=citizen, cote="usager", texte="PJ", fichiers=[pdf()]
        )

    # As the portal's, plus the agent's permissions (9 today; other tabs add theirs).
    # 11, + the agent's scope (C7, C8): one query.
    assert_page_budget(client, url(dossier), budget=12, grow=plus)
