"""Demo conversations (issue 7, P11): the mail templates of the two message events and
their mapping; on Camille Martin's room-hire request, an open conversation with the
agent (its last message unread by Camille: « Mon compte » lists it, the tab counts it);
on last year's subsidy request of « Les Amis de la Loire », a closed one. Idempotent:
a dossier that has a conversation is left as it is."""

import datetime

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from demo.pdf import simple_pdf
from dossiers import services_conversation as conversation
from dossiers.models import Conversation, Dossier, MessageDossier
from notifications import services
from notifications.models import Canal, ModeleMessage

MODELES = [
    {
        "nom": "Nouveau message d’un agent — courriel",
        "canal": Canal.EMAIL,
        "evenement": "dossier.message_agent",
        "sujet": "Votre demande {{ dossier.reference }} : vous avez reçu un message",
        "corps": (
            "Bonjour {{ usager.prenom }},\n\n"
            "Vous avez reçu un message concernant votre demande « {{ dossier.titre }} » "
            "({{ dossier.reference }}).\n\n"
            "Lisez-le et répondez depuis votre espace : {{ lien }}\n\n"
            "Vous pouvez aussi répondre directement à ce courriel : votre réponse sera "
            "ajoutée à la conversation.\n\n"
            "Le service relation usagers de {{ autorite }}"
        ),
    },
    {
        "nom": "Nouveau message d’un agent — notification",
        "canal": Canal.APPLICATION,
        "evenement": "dossier.message_agent",
        "sujet": "Nouveau message sur votre demande {{ dossier.reference }}",
        "corps": "{{ message.auteur }} vous a écrit au sujet de « {{ dossier.titre }} ».",
    },
    {
        "nom": "Nouveau message d’un usager — courriel",
        "canal": Canal.EMAIL,
        "evenement": "dossier.message_usager",
        "sujet": "Dossier {{ dossier.reference }} : nouveau message de l’usager",
        "corps": (
            "Bonjour {{ agent.prenom }},\n\n"
            "{{ message.auteur }} a écrit le {{ message.date }} sur le dossier "
            "{{ dossier.reference }} ({{ dossier.titre }}).\n\n"
            "Conversation : {{ lien }}"
        ),
    },
]


def load_conversations(users: dict[str, User]) -> None:
    for donnees in MODELES:
        modele, _cree = ModeleMessage.objects.get_or_create(nom=donnees["nom"], defaults=donnees)
        if not modele.est_publie:
            problemes = services.modele_publier(modele)
            assert not problemes, problemes  # noqa: S101 - the demo's own texts must be valid
        services.correspondance_enregistrer(evenement=modele.evenement, modele=modele)

    sophie, camille = users["agent"], users["usager"]
    # The demo agent instructs dossiers: the CRM dossier pages and their conversation.
    sophie.user_permissions.add(Permission.objects.get(codename="instruire_dossiers"))
    salle = Dossier.objects.filter(
        cree_par=camille, dispositif__slug="location-salle-municipale"
    ).first()
    if salle is not None and not Conversation.objects.filter(dossier=salle).exists():
        _conversation_ouverte(salle, sophie, camille)
    precedent = Dossier.objects.filter(reference__endswith="-SUB-000007").first()
    if precedent is not None and not Conversation.objects.filter(dossier=precedent).exists():
        _conversation_fermee(precedent, sophie, camille)


def _ecrire(dossier, auteur, cote, texte, *, il_y_a, fichiers=()):
    message = conversation.message_poster(
        dossier=dossier, auteur=auteur, cote=cote, texte=texte, fichiers=fichiers
    )
    quand = timezone.now() - il_y_a
    MessageDossier.objects.filter(pk=message.pk).update(created_at=quand)
    return message


def _conversation_ouverte(dossier, sophie, camille) -> None:
    jour = datetime.timedelta(days=1)
    conversation.conversation_ouvrir(dossier, sophie)
    _ecrire(
        dossier,
        sophie,
        MessageDossier.Cote.AGENT,
        "Bonjour Madame Martin,\n\nPour la salle des fêtes, la fin de soirée est fixée à "
        "2 h. Pouvez-vous nous transmettre votre attestation d’assurance responsabilité "
        "civile pour la soirée ?\n\nBien cordialement,\nSophie Durand",
        il_y_a=3 * jour,
    )
    attestation = ContentFile(
        simple_pdf(
            "Attestation d’assurance",
            ["Assurée : Camille Martin", "Responsabilité civile — manifestation privée"],
        ),
        name="attestation-assurance.pdf",
    )
    _ecrire(
        dossier,
        camille,
        MessageDossier.Cote.USAGER,
        "Bonjour,\n\nVoici l’attestation de mon assureur. La soirée se terminera bien à 2 h.\n\n"
        "Camille Martin",
        il_y_a=2 * jour,
        fichiers=[attestation],
    )
    _ecrire(
        dossier,
        sophie,
        MessageDossier.Cote.AGENT,
        "Merci, l’attestation est complète. Les clés seront à retirer à l’accueil de la "
        "mairie le vendredi 12 juin à partir de 16 h.",
        il_y_a=datetime.timedelta(hours=5),
    )


def _conversation_fermee(dossier, sophie, camille) -> None:
    jour = datetime.timedelta(days=1)
    conversation.conversation_ouvrir(dossier, sophie)
    _ecrire(
        dossier,
        sophie,
        MessageDossier.Cote.AGENT,
        "Bonjour, le budget de l’opération « Nettoyage des berges » indique 3 200 € : "
        "pouvez-vous confirmer le nombre de bénévoles attendus ?",
        il_y_a=320 * jour,
    )
    _ecrire(
        dossier,
        camille,
        MessageDossier.Cote.USAGER,
        "Bonjour, nous attendons une quarantaine de bénévoles sur la journée.",
        il_y_a=319 * jour,
    )
    conversation.conversation_fermer(dossier, sophie)
