"""The events of filing without an account (notifications/registry.py), registered by
DossiersConfig.ready(), and their default mail templates (`MODELES_PAR_DEFAUT`).

Without its mail a citizen who filed without an account has no follow link: the
templates are installed, published and mapped on first need (`modeles_installer`,
called before each of these events is raised, and by the demo), unless a template of
that name already exists — an admin edits it, or unmaps it, in CRM › Messages."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.gabarits import Variable
from notifications.models import Canal, Correspondance, ModeleMessage
from notifications.registry import Evenement, register_evenement

DOSSIER = Variable(
    "dossier",
    "Dossier",
    (
        Variable("reference", "Référence", exemple="2026-SAL-000042"),
        Variable("dispositif", "Démarche", exemple="Location d’une salle municipale"),
    ),
)
LIEN_SUIVI = Variable(
    "lien_suivi",
    "Lien de suivi (signé, à durée limitée)",
    exemple="https://guichet.belleville-sur-loire.fr/suivi/eyJkIjo0Mn0:1t2u3v:abc/",
)
CODE_SUIVI = Variable("code_suivi", "Code de suivi", exemple="K7QPM-3XHTA")
DUREE_LIEN = Variable("duree_lien", "Validité du lien de suivi (jours)", exemple=30)


def register() -> None:
    register_evenement(
        Evenement(
            code="dossier.depose_sans_compte",
            libelle=_("Demande déposée sans compte"),
            description=_(
                "Un usager sans compte vient de déposer une demande : le courriel lui donne "
                "son lien de suivi, son code de suivi et sa clé de rattachement (seule trace "
                "de la clé : elle n’est conservée que chiffrée)."
            ),
            variables=(
                DOSSIER,
                LIEN_SUIVI,
                Variable(
                    "lien_code",
                    "Page de suivi par code",
                    exemple="https://guichet.belleville-sur-loire.fr/suivi/",
                ),
                CODE_SUIVI,
                Variable("cle_rattachement", "Clé de rattachement", exemple="ABCD-EFGH-JKMN-PQRS"),
                Variable(
                    "verification",
                    "Information demandée avec le code de suivi",
                    exemple="date de naissance",
                ),
                DUREE_LIEN,
            ),
        )
    )
    register_evenement(
        Evenement(
            code="dossier.lien_suivi",
            libelle=_("Nouveau lien de suivi demandé"),
            description=_(
                "Un usager sans compte a demandé un nouveau lien de suivi pour sa demande."
            ),
            variables=(DOSSIER, LIEN_SUIVI, CODE_SUIVI, DUREE_LIEN),
        )
    )


# The default mail templates (installed published and mapped by the migration).
MODELES_PAR_DEFAUT = [
    {
        "nom": "Demande déposée sans compte — courriel",
        "evenement": "dossier.depose_sans_compte",
        "sujet": "Votre demande {{ dossier.reference }} est déposée",
        "corps": (
            "Bonjour,\n\n"
            "Votre demande « {{ dossier.dispositif }} » est bien déposée sous la référence "
            "{{ dossier.reference }}.\n\n"
            "Suivez-la depuis ce lien (valable {{ duree_lien }} jours) : {{ lien_suivi }}\n\n"
            "Ensuite, ou si le lien a expiré, rendez-vous sur {{ lien_code }} avec votre code "
            "de suivi {{ code_suivi }} et votre {{ verification }}.\n\n"
            "Pour retrouver cette demande dans un compte du portail, créez-en un (ou "
            "connectez-vous) puis rattachez-la avec sa référence et cette clé : "
            "{{ cle_rattachement }}\n"
            "Gardez ce message : la clé ne vous sera pas redonnée.\n\n"
            "{{ autorite }}"
        ),
    },
    {
        "nom": "Nouveau lien de suivi — courriel",
        "evenement": "dossier.lien_suivi",
        "sujet": "Votre lien de suivi pour la demande {{ dossier.reference }}",
        "corps": (
            "Bonjour,\n\n"
            "Voici un nouveau lien pour suivre votre demande « {{ dossier.dispositif }} » "
            "({{ dossier.reference }}), valable {{ duree_lien }} jours : {{ lien_suivi }}\n\n"
            "Votre code de suivi reste {{ code_suivi }}.\n\n"
            "Si vous n’avez rien demandé, ignorez ce message.\n\n"
            "{{ autorite }}"
        ),
    },
]


def modeles_installer() -> None:
    """Install the default templates not installed yet (one query once they are)."""
    noms = {m["nom"] for m in MODELES_PAR_DEFAUT}
    existants = set(ModeleMessage.objects.filter(nom__in=noms).values_list("nom", flat=True))
    for donnees in MODELES_PAR_DEFAUT:
        if donnees["nom"] in existants:
            continue
        modele, cree = ModeleMessage.objects.get_or_create(
            nom=donnees["nom"],
            defaults={
                **donnees,
                "canal": Canal.EMAIL,
                "sujet_publie": donnees["sujet"],
                "corps_publie": donnees["corps"],
                "publie_le": timezone.now(),
            },
        )
        if cree:
            Correspondance.objects.get_or_create(evenement=donnees["evenement"], modele=modele)
