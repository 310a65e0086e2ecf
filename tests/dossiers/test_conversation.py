"""The conversation's services (P11): open/close, who may write when, attachments checked
by content, read tracking, notices through the outbox, replies by mail."""

import io
import logging
import zipfile
from email.message import EmailMessage

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from common.extensions import a_faire
from dossiers import selectors_conversation as selectors
from dossiers import services_conversation as services
from dossiers.extensions_conversation import messages_a_lire
from dossiers.models import Conversation, Dossier, Historique, MessageDossier, PieceJointeMessage
from notifications import services as notifications
from notifications.models import Canal, Correspondance, Message, ModeleMessage
from tests.accounts.factories import UserFactory
from tests.dossiers.conversation import conversation_avec, dossier_depose, pdf, png
from tests.usagers.factories import IndividuFactory, MembreFactory

pytestmark = pytest.mark.django_db
USAGER, AGENT = MessageDossier.Cote.USAGER, MessageDossier.Cote.AGENT


def ecrire(dossier, user, texte="Voici le budget.", **kwargs):
    return services.message_poster(dossier=dossier, auteur=user, cote=USAGER, texte=texte, **kwargs)


def frais(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def modele_mail(evenement, corps="Bonjour, nouveau message : {{ lien }}"):
    modele = ModeleMessage.objects.create(
        nom=evenement,
        canal=Canal.EMAIL,
        evenement=evenement,
        sujet="Demande {{ dossier.reference }} : nouveau message",
        corps=corps,
    )
    assert notifications.modele_publier(modele) == []
    Correspondance.objects.create(evenement=evenement, modele=modele)
    return modele


def test_open_close_reopen_write_history_lines(citizen, instructeur):
    dossier = dossier_depose(citizen)
    services.conversation_ouvrir(dossier, instructeur)
    services.conversation_ouvrir(dossier, instructeur)  # already open: nothing more
    services.conversation_fermer(dossier, instructeur)
    services.conversation_ouvrir(dossier, instructeur)
    libelles = list(
        Historique.objects.filter(dossier=dossier, nature=Historique.Nature.MESSAGE)
        .order_by("pk")
        .values_list("libelle", "visible_usager")
    )
    assert libelles == [
        ("Conversation ouverte", True),
        ("Conversation fermée", True),
        ("Conversation rouverte", True),
    ]
    assert Conversation.objects.get(dossier=dossier).ouverte


def test_the_citizen_writes_only_while_open_agents_always(citizen, instructeur):
    dossier = dossier_depose(citizen)
    with pytest.raises(ValidationError) as refus:
        ecrire(dossier, citizen)  # never opened
    assert refus.value.code == "fermee"
    conversation_avec(dossier, instructeur)
    ecrire(dossier, citizen)
    services.conversation_fermer(dossier, instructeur)
    with pytest.raises(ValidationError, match="fermée"):
        ecrire(dossier, citizen)
    # An agent's last word on a closed conversation: kept closed.
    services.message_poster(dossier=dossier, auteur=instructeur, cote=AGENT, texte="Dossier clos.")
    assert not Conversation.objects.get(dossier=dossier).ouverte
    assert MessageDossier.objects.filter(dossier=dossier).count() == 3
    # Messages are no history lines (the thread is their record).
    assert Historique.objects.filter(dossier=dossier, nature="message").count() == 2


def test_text_is_required_and_limited(citizen, instructeur):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur)
    with pytest.raises(ValidationError) as vide:
        ecrire(dossier, citizen, texte="   ")
    assert "texte" in vide.value.error_dict
    with pytest.raises(ValidationError) as long:
        ecrire(dossier, citizen, texte="x" * 5001)
    assert "5001" in str(long.value.error_dict["texte"])


def test_attachments_are_checked_by_content_and_named_safely(
    citizen, instructeur, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur)
    message = ecrire(
        dossier, citizen, fichiers=[pdf("../../Budget prévisionnel 2026.exe"), png("photo")]
    )
    pieces = list(message.pieces_jointes.order_by("pk"))
    assert [(p.nom, p.type_mime) for p in pieces] == [
        ("Budget_previsionnel_2026.pdf", "application/pdf"),
        ("photo.png", "image/png"),
    ]
    assert pieces[0].fichier.name.startswith("conversations/")
    assert ".." not in pieces[0].fichier.name

    # A program renamed .pdf, an empty file, a text file: all refused, each named.
    faux = SimpleUploadedFile("devis.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    vide = SimpleUploadedFile("vide.pdf", b"")
    texte = SimpleUploadedFile("notes.txt", b"bonjour")
    with pytest.raises(ValidationError) as refus:
        ecrire(dossier, citizen, fichiers=[faux, vide, texte])
    erreurs = " ".join(
        refus.value.error_dict["fichiers"][0].messages
        + [m for e in refus.value.error_dict["fichiers"][1:] for m in e.messages]
    )
    assert "« devis.pdf » n’est pas d’un type accepté" in erreurs
    assert "« vide.pdf » est vide" in erreurs
    assert "notes.txt" in erreurs
    assert MessageDossier.objects.filter(dossier=dossier).count() == 2  # nothing written


def test_office_documents_are_told_apart_and_too_many_files_refused(citizen, instructeur):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur)
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    odt = SimpleUploadedFile("statuts", tampon.getvalue())
    assert services.piece_verifier(odt).nom == "statuts.odt"
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("script.js", "alert(1)")
    with pytest.raises(ValidationError):
        services.piece_verifier(SimpleUploadedFile("archive.docx", tampon.getvalue()))
    with pytest.raises(ValidationError) as trop:
        ecrire(dossier, citizen, fichiers=[pdf(f"p{i}.pdf") for i in range(6)])
    assert "5 fichiers au plus" in str(trop.value)


def test_a_file_over_its_types_limit_is_refused(citizen, instructeur):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur)
    gros = SimpleUploadedFile("photo.png", png().read() + b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError, match="la limite est 5,0"):
        ecrire(dossier, citizen, fichiers=[gros])


def test_unread_counts_and_marking_read(citizen, instructeur):
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur, n=3)
    etat = selectors.etat_conversation(dossier, citizen, cote_lu=AGENT)
    assert (etat.existe, etat.ouverte, etat.non_lus) == (True, True, 3)
    services.conversation_marquer_lue(dossier=dossier, user=citizen)
    # (the state is kept on the instance for the request: a fresh one reads again)
    assert selectors.etat_conversation(frais(dossier), citizen, cote_lu=AGENT).non_lus == 0
    # The author's own message is read; the agent has the citizen's to read.
    ecrire(dossier, citizen)
    assert selectors.etat_conversation(frais(dossier), citizen, cote_lu=AGENT).non_lus == 0
    assert selectors.etat_conversation(frais(dossier), instructeur, cote_lu=USAGER).non_lus == 1


def test_mon_compte_lists_unread_messages_per_dossier_in_one_query(
    citizen, instructeur, django_assert_num_queries
):
    premier = dossier_depose(citizen, titre="Location de salle")
    second = dossier_depose(citizen)
    conversation_avec(premier, instructeur, n=2)
    conversation_avec(second, instructeur, n=1)
    services.conversation_marquer_lue(dossier=second, user=citizen)
    # The messages' provider alone (each provider of « À faire » costs its own query).
    with django_assert_num_queries(1):
        items = messages_a_lire(citizen)
    assert [(item.libelle, item.url, item.detail) for item in items] == [
        (
            f"2 nouveaux messages sur votre demande {premier.reference}",
            f"/mon-compte/demandes/{premier.pk}/messages/",
            "Location de salle",
        )
    ]


def test_a_profil_member_sees_and_writes(citizen, other_citizen, instructeur):
    membre = MembreFactory(individu=IndividuFactory(user=citizen, email=citizen.email))
    MembreFactory(profil=membre.profil, individu=IndividuFactory(user=other_citizen))
    dossier = dossier_depose(citizen, profil=membre.profil)
    conversation_avec(dossier, instructeur)
    assert [item.categorie for item in a_faire(other_citizen)] == ["messages"]
    ecrire(dossier, other_citizen)


def test_new_messages_notify_the_other_side(
    citizen, instructeur, django_capture_on_commit_callbacks, mailoutbox
):
    modele_mail("dossier.message_agent")
    modele_mail("dossier.message_usager")
    dossier = dossier_depose(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        [message] = conversation_avec(dossier, instructeur)
    sortant = Message.objects.get(evenement="dossier.message_agent")
    assert sortant.destinataire == citizen.email
    assert sortant.sujet == f"Demande {dossier.reference} : nouveau message"
    assert f"/mon-compte/demandes/{dossier.pk}/messages/" in sortant.corps
    assert sortant.objet_id == str(dossier.pk)  # replies come back to the dossier
    assert sortant.cle.startswith(f"dossier.message:{message.pk}")
    # No agent assigned: the citizen's message mails nobody; assigned: the agent.
    ecrire(dossier, citizen)
    assert not Message.objects.filter(evenement="dossier.message_usager").exists()
    dossier.agent = instructeur
    dossier.save(update_fields=["agent"])
    ecrire(dossier, citizen)
    assert Message.objects.get(evenement="dossier.message_usager").destinataire == instructeur.email


def test_a_message_to_a_dossier_filed_without_account_links_the_follow_page(
    instructeur, client, django_capture_on_commit_callbacks
):
    modele_mail("dossier.message_agent")
    dossier = dossier_depose(None)
    dossier.email_suivi = "lea@exemple.fr"
    dossier.code_suivi = "ABCDE-FGHIJ"
    dossier.save(update_fields=["email_suivi", "code_suivi"])
    with django_capture_on_commit_callbacks(execute=True):
        conversation_avec(dossier, instructeur)
    sortant = Message.objects.get(evenement="dossier.message_agent")
    assert sortant.destinataire == "lea@exemple.fr"
    assert "/suivi/" in sortant.corps and "/mon-compte/" not in sortant.corps
    # The link opens the dossier in a browser with no account.
    chemin = "/suivi/" + sortant.corps.split("/suivi/", 1)[1].split()[0]
    page = client.get(chemin, follow=True)
    assert page.status_code == 200 and dossier.reference in page.content.decode()


def _reponse(origine, expediteur, texte, *pieces):
    courriel = EmailMessage()
    courriel["From"] = expediteur
    courriel["Subject"] = "Re: nouveau message"
    courriel["In-Reply-To"] = notifications.message_id(origine)
    courriel.set_content(texte)
    for nom, contenu, mime in pieces:
        maintype, subtype = mime.split("/")
        courriel.add_attachment(contenu, maintype=maintype, subtype=subtype, filename=nom)
    return courriel.as_bytes()


def test_a_reply_by_mail_becomes_the_citizens_message(
    citizen, instructeur, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    modele_mail("dossier.message_agent")
    dossier = dossier_depose(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        conversation_avec(dossier, instructeur)
    origine = Message.objects.get(evenement="dossier.message_agent")
    brut = _reponse(
        origine,
        f"Camille <{citizen.email.upper()}>",
        "Voici le budget.\n\nLe 2 déc. 2026, Guichet a écrit :\n> Pouvez-vous préciser ?",
        ("budget.pdf", pdf().read(), "application/pdf"),
        ("virus.exe", b"MZ\x90\x00", "application/octet-stream"),
    )
    assert notifications.recevoir_reponse(brut) == "dossiers.dossier"
    message = MessageDossier.objects.get(dossier=dossier, cote=USAGER)
    assert message.auteur == citizen
    assert message.via == MessageDossier.Via.COURRIEL
    assert message.texte.startswith("Voici le budget.\n\n[Pièces jointes refusées : « virus.exe »")
    assert "Pouvez-vous préciser" not in message.texte
    assert [p.nom for p in message.pieces_jointes.all()] == ["budget.pdf"]


def test_a_strangers_reply_is_dropped_and_a_closed_conversation_bounces(
    citizen, instructeur, caplog, django_capture_on_commit_callbacks
):
    modele_mail("dossier.message_agent")
    dossier = dossier_depose(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        conversation_avec(dossier, instructeur)
    origine = Message.objects.get(evenement="dossier.message_agent")
    UserFactory(email="intrus@exemple.fr")
    with caplog.at_level(logging.WARNING, logger="dossiers.services_conversation"):
        notifications.recevoir_reponse(_reponse(origine, "intrus@exemple.fr", "Coucou"))
    assert not MessageDossier.objects.filter(cote=USAGER).exists()
    assert "not one of its citizens: dropped" in caplog.text
    services.conversation_fermer(dossier, instructeur)
    with pytest.raises(notifications.ReponseRefusee, match="fermée"):
        notifications.recevoir_reponse(_reponse(origine, citizen.email, "Encore une question"))
    assert not MessageDossier.objects.filter(cote=USAGER).exists()


def test_the_tracking_address_may_reply_without_an_account(instructeur):
    dossier = dossier_depose(None)
    dossier.email_suivi = "lea@exemple.fr"
    dossier.save(update_fields=["email_suivi"])
    assert services.auteur_de_la_reponse(dossier, "LEA@exemple.fr") == (True, None)
    assert services.auteur_de_la_reponse(dossier, "autre@exemple.fr") == (False, None)


def test_attachments_files_go_with_their_dossier(
    citizen, instructeur, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_depose(citizen)
    conversation_avec(dossier, instructeur)
    piece = ecrire(dossier, citizen, fichiers=[pdf()]).pieces_jointes.get()
    chemin = tmp_path / piece.fichier.name
    assert chemin.exists()
    with django_capture_on_commit_callbacks(execute=True):
        dossier.delete()
    assert not PieceJointeMessage.objects.exists()
    assert not chemin.exists()


def test_a_profil_members_reply_by_mail_is_theirs(citizen, other_citizen, instructeur):
    membre = MembreFactory(individu=IndividuFactory(user=citizen, email=citizen.email))
    MembreFactory(profil=membre.profil, individu=IndividuFactory(user=other_citizen))
    dossier = dossier_depose(citizen, profil=membre.profil)
    assert services.auteur_de_la_reponse(dossier, other_citizen.email) == (True, other_citizen)
    conversation_avec(dossier, instructeur)
    message = services.reponse_par_courriel(
        str(dossier.pk),
        expediteur=other_citizen.email,
        sujet="Re",
        texte="Je complète pour l’association.",
        pieces_jointes=[],
        message=None,
    )
    assert (message.auteur, message.cote) == (other_citizen, USAGER)
