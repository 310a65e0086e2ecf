"""What the conversation (P11) plugs in, registered by DossiersConfig.ready(): the
notification events and their mail-reply handler, the dossier page's « Messages » tab on
the portal and in the CRM, and the unread messages on « Mon compte »."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.extensions import (
    AFaire,
    OngletDossier,
    register_a_faire,
    register_onglet_crm,
    register_onglet_portail,
)
from common.gabarits import Variable
from dossiers import selectors_conversation, services_conversation
from dossiers.models import MessageDossier, PieceJointeMessage
from notifications.registry import Evenement, register_evenement, register_reponse

DOSSIER = Variable(
    "dossier",
    "Dossier",
    (
        Variable("reference", "Référence", exemple="2026-SUB-000123"),
        Variable("titre", "Démarche", exemple="Subvention aux associations"),
    ),
)
MESSAGE = Variable(
    "message",
    "Message",
    (
        Variable("auteur", "Auteur", exemple="Sophie Durand"),
        Variable("texte", "Texte du message", exemple="Pouvez-vous nous transmettre le budget ?"),
        Variable("date", "Date d’envoi", exemple="2 décembre 2026 à 9 h 41"),
    ),
)


def _evenements() -> None:
    register_evenement(
        Evenement(
            code="dossier.message_agent",
            libelle=_("Message d’un agent sur un dossier"),
            description=_(
                "Un agent a écrit à l’usager dans la conversation du dossier ; le lien mène "
                "à la conversation. Une réponse à ce courriel s’ajoute à la conversation."
            ),
            variables=(
                Variable(
                    "usager",
                    "Usager",
                    (
                        Variable("prenom", "Prénom", exemple="Camille"),
                        Variable("nom", "Nom", exemple="Martin"),
                    ),
                ),
                DOSSIER,
                MESSAGE,
                Variable(
                    "lien",
                    "Lien vers la conversation",
                    exemple="https://guichet.belleville-sur-loire.fr/mon-compte/demandes/1/messages/",
                ),
            ),
        )
    )
    register_evenement(
        Evenement(
            code="dossier.message_usager",
            libelle=_("Message d’un usager sur un dossier"),
            description=_(
                "L’usager a écrit dans la conversation du dossier ; envoyé à l’agent chargé "
                "du dossier (aucun envoi sans agent chargé)."
            ),
            variables=(
                Variable(
                    "agent",
                    "Agent chargé du dossier",
                    (
                        Variable("prenom", "Prénom", exemple="Sophie"),
                        Variable("nom", "Nom", exemple="Durand"),
                    ),
                ),
                DOSSIER,
                MESSAGE,
                Variable(
                    "lien",
                    "Lien vers la conversation (CRM)",
                    exemple="https://guichet.belleville-sur-loire.fr/crm/dossiers/1/messages/",
                ),
            ),
        )
    )


def _portail_visible(dossier, user) -> bool:
    return selectors_conversation.etat_conversation(
        dossier, user, cote_lu=MessageDossier.Cote.AGENT
    ).existe


def _portail_compteur(dossier, user) -> int | None:
    etat = selectors_conversation.etat_conversation(
        dossier, user, cote_lu=MessageDossier.Cote.AGENT
    )
    return etat.non_lus or None


def _crm_compteur(dossier, user) -> int | None:
    etat = selectors_conversation.etat_conversation(
        dossier, user, cote_lu=MessageDossier.Cote.USAGER
    )
    return etat.non_lus or None


def messages_a_lire(user) -> list[AFaire]:
    """« Mon compte »: one line per dossier with agents' messages unread (one query)."""
    return [
        AFaire(
            libelle=ngettext(
                "%(n)s nouveau message sur votre demande %(reference)s",
                "%(n)s nouveaux messages sur votre demande %(reference)s",
                ligne["n"],
            )
            % {"n": ligne["n"], "reference": ligne["dossier__reference"]},
            url=reverse("portal:dossier_messages", args=[ligne["dossier_id"]]),
            categorie="messages",
            detail=ligne["dossier__dispositif__titre"],
        )
        for ligne in selectors_conversation.non_lus_par_dossier(user)
    ]


def _supprimer_fichier(sender, instance, **kwargs) -> None:
    """An attachment's row gone (its message or dossier deleted, a purge): its file goes
    once the deletion is committed (a rollback keeps both)."""
    fichier = instance.fichier
    if fichier and fichier.name:
        nom, stockage = fichier.name, fichier.storage
        transaction.on_commit(lambda: stockage.delete(nom))


def register() -> None:
    _evenements()
    post_delete.connect(
        _supprimer_fichier, sender=PieceJointeMessage, dispatch_uid="piece-jointe-message"
    )
    register_reponse("dossiers.dossier", services_conversation.reponse_par_courriel)
    register_onglet_portail(
        OngletDossier(
            code="messages",
            libelle=_("Messages"),
            url_name="portal:dossier_messages",
            ordre=40,
            visible=_portail_visible,
            compteur=_portail_compteur,
        )
    )
    register_onglet_crm(
        OngletDossier(
            code="messages",
            libelle=_("Messages"),
            url_name="crm:dossier_messages",
            ordre=40,
            compteur=_crm_compteur,
        )
    )
    register_a_faire("messages", messages_a_lire)
