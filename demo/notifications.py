"""Demo messages (issue 6): templates and the event mapping for the account events, a
few messages in the outbox (sent, and one SMS refused for its number), and notices in
the portal's and the CRM's bells. Idempotent: keyed by template names and outbox keys.

The messages go through the real outbox and delivery: with the demo's console backend
(no EMAIL_URL) the mails are printed by `load_demo` (or by the worker with REDIS_URL).
"""

from accounts.models import User
from notifications import services
from notifications.models import Canal, ModeleMessage, Notification

MODELES = [
    {
        "nom": "Bienvenue — courriel",
        "canal": Canal.EMAIL,
        "evenement": "compte.cree",
        "sujet": "Bienvenue sur le portail de {{ autorite }}",
        "corps": (
            "Bonjour {{ usager.prenom }},\n\n"
            "Votre compte sur le portail des démarches de {{ autorite }} est créé. "
            "Pensez à confirmer votre adresse électronique grâce au lien reçu dans un "
            "message séparé.\n\n"
            "Vous pourrez ensuite déposer vos demandes, suivre leur avancement et "
            "échanger avec nos services depuis votre espace : {{ lien_connexion }}\n\n"
            "À bientôt,\n"
            "Le service relation usagers de {{ autorite }}"
        ),
    },
    {
        "nom": "Bienvenue — notification",
        "canal": Canal.APPLICATION,
        "evenement": "compte.cree",
        "sujet": "Bienvenue {{ usager.prenom }} !",
        "corps": (
            "Complétez vos informations dans « Mon compte » : elles seront reprises "
            "dans vos prochaines demandes."
        ),
    },
    {
        "nom": "Mot de passe modifié — courriel",
        "canal": Canal.EMAIL,
        "evenement": "compte.mot_de_passe_modifie",
        "sujet": "Votre mot de passe a été modifié",
        "corps": (
            "Bonjour {{ usager.prenom }},\n\n"
            "Le mot de passe de votre compte ({{ usager.email }}) a été modifié le "
            "{{ date }}.\n\n"
            "Si vous n’êtes pas à l’origine de ce changement, réinitialisez votre mot de "
            "passe sans attendre depuis {{ site_url }} et prévenez-nous en répondant à "
            "ce message.\n\n"
            "Le service relation usagers de {{ autorite }}"
        ),
    },
    {
        "nom": "Mot de passe modifié — SMS",
        "canal": Canal.SMS,
        "evenement": "compte.mot_de_passe_modifie",
        "sujet": "",
        "corps": (
            "{{ autorite }} : le mot de passe de votre compte a été modifié le {{ date }}. "
            "Pas vous ? Réinitialisez-le sur {{ site_url }}"
        ),
    },
]


def load_notifications(users: dict[str, User]) -> None:
    for donnees in MODELES:
        modele, _cree = ModeleMessage.objects.get_or_create(nom=donnees["nom"], defaults=donnees)
        if not modele.est_publie:
            problemes = services.modele_publier(modele)
            assert not problemes, problemes  # noqa: S101 - the demo's own texts must be valid
        services.correspondance_enregistrer(evenement=modele.evenement, modele=modele)

    camille = users["usager"]
    # The account events, raised as the portal does (keys make a second load a no-op).
    services.notifier(
        "compte.cree",
        contexte={
            "usager": {
                "prenom": camille.first_name,
                "nom": camille.last_name,
                "email": camille.email,
            },
            "lien_connexion": "http://127.0.0.1:8000/compte/connexion/",
        },
        email=camille.email,
        usager=camille,
        concerne=camille,
        lien="/mon-compte/",
        cle=f"demo:compte.cree:{camille.pk}",
    )
    lucas = users["voisin"]
    services.notifier(
        "compte.cree",
        contexte={
            "usager": {"prenom": lucas.first_name, "nom": lucas.last_name, "email": lucas.email},
            "lien_connexion": "http://127.0.0.1:8000/compte/connexion/",
        },
        email=lucas.email,
        usager=lucas,
        concerne=lucas,
        lien="/mon-compte/",
        cle=f"demo:compte.cree:{lucas.pk}",
    )
    # A password change announced by SMS to a number mistyped in the référentiel: the
    # provider is never called, the message fails with its reason (no retry).
    services.notifier(
        "compte.mot_de_passe_modifie",
        contexte={
            "usager": {"prenom": lucas.first_name, "nom": lucas.last_name, "email": lucas.email},
            "date": "2 mars 2026 à 18 h 12",
        },
        email=lucas.email,
        telephone="06 98 76 54",
        usager=lucas,
        concerne=lucas,
        cle=f"demo:compte.mot_de_passe_modifie:{lucas.pk}",
    )
    # The agent's bell: a notice of the CRM.
    Notification.objects.get_or_create(
        destinataire=users["agent"],
        titre="Un SMS n’a pas pu partir",
        defaults={
            "texte": "Le numéro de mobile de Lucas Bernard semble incomplet : vérifiez-le dans le référentiel.",
            "lien": "/crm/usagers/",
        },
    )
