"""The events of who edits a dossier (F14), registered by DossiersConfig.ready(), with
their default texts: when an admin has mapped no mail template to one of them yet, the
mail still leaves through the outbox with the default text (an invitation nobody
receives would be no invitation)."""

from django.utils.translation import gettext_lazy as _

from common.gabarits import Variable
from notifications import services as notifications
from notifications.models import Canal, Message
from notifications.registry import Evenement, register_evenement

DOSSIER = Variable(
    "dossier",
    "Dossier",
    (
        Variable("reference", "Référence (vide pour un brouillon)", exemple="2026-SUB-000123"),
        Variable("dispositif", "Démarche", exemple="Subvention aux associations"),
    ),
)
AUTEUR = Variable(
    "auteur",
    "Auteur de la demande",
    (
        Variable("prenom", "Prénom", exemple="Camille"),
        Variable("nom", "Nom", exemple="Martin"),
    ),
)
LIEN = Variable("lien", "Lien à suivre", exemple="https://guichet.belleville-sur-loire.fr/…")
EXPIRE = Variable("expire_le", "Date limite", exemple="16 décembre 2026")
REPRENEUR = Variable(
    "repreneur",
    "Personne qui a accepté la demande",
    (
        Variable("prenom", "Prénom", exemple="Dominique"),
        Variable("nom", "Nom", exemple="Petit"),
    ),
)

INVITATION = "dossier.coediteur_invite"
TRANSFERT = "dossier.transfert_propose"
TRANSFERT_ACCEPTE = "dossier.transfert_accepte"
EXPIRATION = "dossier.brouillon_expire_bientot"

EVENEMENTS = [
    Evenement(
        code=INVITATION,
        libelle=_("Invitation à compléter une demande"),
        description=_("L’auteur d’une demande invite une personne à la compléter avec lui."),
        variables=(DOSSIER, AUTEUR, LIEN, EXPIRE),
    ),
    Evenement(
        code=TRANSFERT,
        libelle=_("Transfert d’une demande proposé"),
        description=_("L’auteur d’une demande la confie à une autre personne, qui l’accepte."),
        variables=(DOSSIER, AUTEUR, LIEN, EXPIRE),
    ),
    Evenement(
        code=TRANSFERT_ACCEPTE,
        libelle=_("Transfert d’une demande accepté"),
        description=_(
            "La personne à qui l’auteur a confié sa demande l’a acceptée : l’auteur en est "
            "prévenu, car il ne la voit plus dans son espace."
        ),
        variables=(DOSSIER, AUTEUR, REPRENEUR, LIEN),
    ),
    Evenement(
        code=EXPIRATION,
        libelle=_("Brouillon bientôt supprimé"),
        description=_("Un brouillon non modifié sera supprimé dans quelques jours."),
        variables=(DOSSIER, AUTEUR, LIEN, EXPIRE),
    ),
]

# The default texts (subject, body), also loaded as templates by the demo.
DEFAUTS = {
    INVITATION: (
        "{{ auteur.prenom }} {{ auteur.nom }} vous invite à compléter une demande",
        "Bonjour,\n\n"
        "{{ auteur.prenom }} {{ auteur.nom }} vous invite à compléter sa demande "
        "« {{ dossier.dispositif }} » sur le portail de {{ autorite }}.\n\n"
        "Pour accepter, connectez-vous (ou créez votre compte avec cette adresse) puis "
        "suivez ce lien avant le {{ expire_le }} : {{ lien }}\n\n"
        "Si vous ne connaissez pas cette personne, ignorez ce message.\n\n"
        "Le service relation usagers de {{ autorite }}",
    ),
    TRANSFERT: (
        "{{ auteur.prenom }} {{ auteur.nom }} vous confie une demande",
        "Bonjour,\n\n"
        "{{ auteur.prenom }} {{ auteur.nom }} souhaite vous confier sa demande "
        "« {{ dossier.dispositif }} »{% if dossier.reference %} "
        "(référence {{ dossier.reference }}){% endif %} sur le portail de {{ autorite }}.\n\n"
        "Pour l’accepter, connectez-vous avec cette adresse puis suivez ce lien avant le "
        "{{ expire_le }} : {{ lien }}\n\n"
        "Le service relation usagers de {{ autorite }}",
    ),
    TRANSFERT_ACCEPTE: (
        "Votre demande a été confiée à {{ repreneur.prenom }} {{ repreneur.nom }}",
        "Bonjour {{ auteur.prenom }},\n\n"
        "{{ repreneur.prenom }} {{ repreneur.nom }} a accepté la demande "
        "« {{ dossier.dispositif }} »{% if dossier.reference %} "
        "(référence {{ dossier.reference }}){% endif %} que vous lui avez confiée. "
        "Elle suit désormais cette demande depuis son espace ; la demande n’apparaît "
        "plus dans le vôtre.\n\n"
        "Vos demandes : {{ lien }}\n\n"
        "Si vous n’êtes pas à l’origine de ce transfert, contactez-nous.\n\n"
        "Le service relation usagers de {{ autorite }}",
    ),
    EXPIRATION: (
        "Votre brouillon sera bientôt supprimé",
        "Bonjour {{ auteur.prenom }},\n\n"
        "Votre brouillon de demande « {{ dossier.dispositif }} » n’a pas été modifié "
        "depuis longtemps : il sera supprimé le {{ expire_le }}.\n\n"
        "Pour le conserver, reprenez-le depuis votre espace : {{ lien }}\n\n"
        "Le service relation usagers de {{ autorite }}",
    ),
}


def register() -> None:
    for evenement in EVENEMENTS:
        register_evenement(evenement)


def envoyer(code: str, *, contexte: dict, email: str, usager=None, concerne=None, cle="") -> None:
    """Raise the event; with no mail template mapped to it, queue the default text."""
    sortie = notifications.notifier(
        code, contexte=contexte, email=email, usager=usager, concerne=concerne, cle=cle
    )
    if any(isinstance(m, Message) and m.canal == Canal.EMAIL for m in sortie):
        return
    sujet, corps = DEFAUTS[code]
    sujet, corps = notifications.rendre(sujet=sujet, corps=corps, contexte=contexte)
    notifications.mettre_en_file(
        canal=Canal.EMAIL,
        destinataire=email,
        sujet=sujet,
        corps=corps,
        corps_html=notifications.corps_html(corps),
        evenement=code,
        usager=usager,
        concerne=concerne,
        cle=f"{cle}:defaut" if cle else None,
    )
