"""The conversation tab on the portal (P11): thread, writing, closed notice, downloads,
access (others' dossiers: 404), query budget."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.extensions import onglets_portail
from dossiers import services_conversation as services
from dossiers.models import Dossier, MessageDossier
from portal.dossier_page import SUIVIS_SESSION, contexte_dossier
from tests.dossiers.conversation import conversation_avec, dossier_depose, pdf
from tests.queries import assert_page_budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(dossier):
    return reverse("portal:dossier_messages", args=[dossier.pk])


def test_the_thread_shows_unread_then_marks_read(client, citizen, instructeur):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur, n=2)
    client.force_login(citizen)
    page = client.get(url(dossier)).content.decode()
    assert page.index("Pouvez-vous préciser le budget ? 0") < page.index(
        "Pouvez-vous préciser le budget ? 1"
    )
    assert page.count(">Nouveau<") == 2
    assert "Écrire au service" in page
    # Read now: no « Nouveau » any more, no counter on the tab.
    page = client.get(url(dossier)).content.decode()
    assert ">Nouveau<" not in page
    assert "nouveau(x)" not in page


def test_the_tab_counts_unread_messages_on_the_dossier_frame(rf, citizen, instructeur):
    dossier = dossier_depose(citizen)
    assert "messages" not in [o.code for o in onglets_portail(dossier, citizen)]
    conversation_avec(dossier, instructeur, n=2)
    requete = rf.get("/")
    requete.user = citizen
    # (the state is kept on the instance for a request: a new request, a fresh one)
    onglets = contexte_dossier(requete, Dossier.objects.get(pk=dossier.pk), "suivi")["onglets"]
    assert [(o["code"], o["compteur"]) for o in onglets if o["code"] == "messages"] == [
        ("messages", 2)
    ]


def test_writing_with_attachments(client, citizen, instructeur, media):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur)
    client.force_login(citizen)
    reponse = client.post(
        url(dossier), {"texte": "Voici le budget.", "fichiers": [pdf("budget.pdf"), pdf("rib.pdf")]}
    )
    message = MessageDossier.objects.get(dossier=dossier, cote="usager")
    assert reponse.status_code == 302
    assert reponse["Location"] == f"{url(dossier)}#message-{message.pk}"
    assert message.auteur == citizen
    assert message.via == "portail"
    assert [p.nom for p in message.pieces_jointes.all()] == ["budget.pdf", "rib.pdf"]
    page = client.get(url(dossier)).content.decode()
    assert "Votre message est envoyé." in page
    assert "budget.pdf" in page


def test_bad_input_is_said_beside_the_field_and_the_text_kept(client, citizen, instructeur):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur)
    client.force_login(citizen)
    reponse = client.post(url(dossier), {"texte": "   "})
    assert reponse.status_code == 400
    assert "Écrivez votre message." in reponse.content.decode()
    programme = SimpleUploadedFile("devis.pdf", b"MZ\x90\x00" * 10)
    reponse = client.post(
        url(dossier), {"texte": "Mon devis en pièce jointe", "fichiers": [programme]}
    )
    page = reponse.content.decode()
    assert reponse.status_code == 400
    assert "« devis.pdf » n’est pas d’un type accepté" in page
    assert "Mon devis en pièce jointe</textarea>" in page
    assert not MessageDossier.objects.filter(cote="usager").exists()


def test_a_closed_conversation_shows_a_notice_and_refuses_posts(client, citizen, instructeur):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur)
    services.conversation_fermer(dossier, instructeur)
    client.force_login(citizen)
    page = client.get(url(dossier)).content.decode()
    assert "La conversation est fermée" in page
    assert "<textarea" not in page
    assert client.post(url(dossier), {"texte": "Encore moi"}).status_code == 400
    assert not MessageDossier.objects.filter(cote="usager").exists()


def test_no_conversation_no_tab(client, citizen):
    dossier = dossier_depose(citizen)
    client.force_login(citizen)
    assert client.get(url(dossier)).status_code == 404


def test_others_get_404_a_follower_without_account_gets_in(
    client, citizen, other_citizen, instructeur
):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur)
    assert client.get(url(dossier)).status_code == 404  # anonymous
    client.force_login(other_citizen)
    assert client.get(url(dossier)).status_code == 404
    client.logout()
    session = client.session
    session[SUIVIS_SESSION] = [dossier.pk]
    session.save()
    assert client.get(url(dossier)).status_code == 200
    assert client.post(url(dossier), {"texte": "Sans compte"}).status_code == 302
    message = MessageDossier.objects.get(cote="usager")
    assert message.auteur is None


def test_attachment_download_checks_the_dossier(client, citizen, other_citizen, instructeur, media):
    dossier = dossier_depose(citizen)
    autre = dossier_depose(other_citizen)
    conversation_avec(dossier, instructeur)
    conversation_avec(autre, instructeur)
    message = services.message_poster(
        dossier=autre, auteur=instructeur, cote="agent", texte="Pièce", fichiers=[pdf("arrete.pdf")]
    )
    piece = message.pieces_jointes.get()
    client.force_login(other_citizen)
    reponse = client.get(reverse("portal:message_piece_jointe", args=[autre.pk, piece.pk]))
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content).startswith(b"%PDF")
    assert reponse["Content-Type"] == "application/pdf"
    assert 'attachment; filename="arrete.pdf"' in reponse["Content-Disposition"]
    client.force_login(citizen)
    # Another's attachment, by its pk or through one's own dossier: 404.
    assert (
        client.get(reverse("portal:message_piece_jointe", args=[autre.pk, piece.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("portal:message_piece_jointe", args=[dossier.pk, piece.pk])).status_code
        == 404
    )


def test_query_budget_is_the_same_with_3_and_30_messages(client, citizen, instructeur, media):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur, n=3)
    services.message_poster(
        dossier=dossier, auteur=instructeur, cote="agent", texte="PJ", fichiers=[pdf()]
    )
    client.force_login(citizen)
    client.get(url(dossier))  # the session's first request caches it

    def plus():
        conversation_avec(dossier, instructeur, n=27)
        services.message_poster(
            dossier=dossier, auteur=instructeur, cote="agent", texte="PJ", fichiers=[pdf()]
        )

    # The user, the dossier, the conversation's state and unread count, the last read,
    # the thread and its attachments, marking read (7 today; other tabs add theirs).
    assert_page_budget(client, url(dossier), budget=9, grow=plus)


def test_mon_compte_lists_unread_messages(client, citizen, instructeur):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur, n=2)
    client.force_login(citizen)
    page = client.get(reverse("portal:account")).content.decode()
    assert "À faire" in page
    assert f"2 nouveaux messages sur votre demande {dossier.reference}" in page
    assert url(dossier) in page
    client.get(url(dossier))
    assert "nouveaux messages" not in client.get(reverse("portal:account")).content.decode()
