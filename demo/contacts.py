"""Demo data of contacts GRC (C5): three contact models, fifteen contacts of a commune's
week across the canaux — linked to the demo individus, profils and dossiers, some turned
into a dossier's history — and action plans with tasks for the demo agents. Logged
through the services, so the dossiers' history reads like the desk's day. Idempotent:
the models are kept by name, the contacts are made once."""

import datetime

from django.utils import timezone

from contacts import services
from contacts.models import Contact, ModeleContact
from dossiers.selectors import dossiers_visible_to
from usagers.models import Individu, Profil

MODELES = [
    # (nom, canal, objet, trame du compte rendu, agents: keys of the demo users)
    (
        "Appel — demande d’information",
        "telephone",
        "Demande d’information",
        "Question posée :\nRéponse apportée :\nÀ rappeler : non",
        ["agent"],
    ),
    (
        "Accueil — dépôt de pièces",
        "accueil",
        "Dépôt de pièces justificatives",
        "Pièces déposées :\nPièces manquantes :",
        ["instructeur"],
    ),
    (
        "Courrier entrant",
        "courrier",
        "Courrier reçu en mairie",
        "Expéditeur :\nRésumé du courrier :\nService destinataire :",
        ["instructeur"],
    ),
]

# (jours avant aujourd'hui, heure, canal, sens, objet, compte rendu, interlocuteur,
#  modèle, lier au n-ième dossier déposé, statut)
CONTACTS = [
    (
        0,
        9,
        "telephone",
        "entrant",
        "Horaires d’ouverture de la médiathèque",
        "Horaires donnés : mardi au samedi, 10 h – 18 h.",
        "Camille",
        0,
        None,
        "traite",
    ),
    (
        0,
        10,
        "accueil",
        "entrant",
        "Dépôt de l’avis d’imposition",
        "Avis 2025 déposé pour le dossier en cours.",
        "Camille",
        1,
        0,
        "traite",
    ),
    (
        1,
        14,
        "telephone",
        "entrant",
        "Où en est ma demande ?",
        "Dossier en instruction, réponse sous quinze jours.",
        "Lucas",
        0,
        1,
        "traite",
    ),
    (
        1,
        16,
        "courriel",
        "entrant",
        "Attestation d’assurance du club",
        "Reçue par courriel, à joindre au dossier.",
        "Lucas",
        None,
        None,
        "ouvert",
    ),
    (
        2,
        11,
        "courrier",
        "entrant",
        "Réclamation sur l’éclairage de la rue du Moulin",
        "Lampadaire éteint depuis une semaine, signalé aux services techniques.",
        "libre:M. Girard, riverain",
        2,
        None,
        "ouvert",
    ),
    (
        3,
        9,
        "telephone",
        "sortant",
        "Rappel : pièce manquante",
        "Messagerie, message laissé pour le RIB manquant.",
        "Camille",
        None,
        0,
        "ouvert",
    ),
    (
        4,
        15,
        "internet",
        "entrant",
        "Question sur la cantine de Léo",
        "Posée depuis le formulaire de contact du site.",
        "Léo",
        None,
        None,
        "traite",
    ),
    (
        5,
        10,
        "accueil",
        "entrant",
        "Inscription à l’accueil de loisirs",
        "Dossier papier remis, à saisir.",
        "Jade",
        1,
        None,
        "ouvert",
    ),
    (
        6,
        17,
        "telephone",
        "entrant",
        "Demande de salle pour l’assemblée générale",
        "Salle des fêtes demandée le 14 mars.",
        "profil",
        0,
        None,
        "ouvert",
    ),
    (
        8,
        9,
        "courrier",
        "entrant",
        "Demande de subvention 2026 — courrier d’accompagnement",
        "Courrier joint au dossier de subvention.",
        "profil",
        2,
        2,
        "traite",
    ),
    (
        9,
        11,
        "courriel",
        "sortant",
        "Envoi de la liste des pièces",
        "Liste envoyée par courriel.",
        "Lucas",
        None,
        None,
        "traite",
    ),
    (
        11,
        14,
        "telephone",
        "entrant",
        "Bruit de chantier le dimanche",
        "Plainte enregistrée, transmise à la police municipale.",
        "libre:Une habitante du lotissement des Tilleuls",
        0,
        None,
        "ouvert",
    ),
    (
        13,
        10,
        "accueil",
        "entrant",
        "Carte d’identité : prise de rendez-vous",
        "Orientée vers la prise de rendez-vous en ligne.",
        "Camille",
        0,
        None,
        "traite",
    ),
    (
        15,
        16,
        "internet",
        "entrant",
        "Aide aux vacances : éligibilité",
        "Quotient familial à vérifier.",
        "Camille",
        None,
        3,
        "ouvert",
    ),
    (
        20,
        9,
        "telephone",
        "entrant",
        "Perte d’un objet au gymnase",
        "Objet non retrouvé, rappel promis si retrouvé.",
        "libre:Mme Lopez",
        0,
        None,
        "traite",
    ),
]


def load_modeles(users: dict) -> list[ModeleContact]:
    modeles = []
    for ordre, (nom, canal, objet, trame, agents) in enumerate(MODELES):
        modele, created = ModeleContact.objects.get_or_create(
            nom=nom,
            defaults={"canal": canal, "objet": objet, "compte_rendu": trame, "ordre": ordre},
        )
        if created:
            modele.agents.set([users[key] for key in agents])
        modeles.append(modele)
    return modeles


def load_contacts(users: dict) -> None:
    modeles = load_modeles(users)
    if Contact.objects.exists():
        return
    instructeur, agent = users["instructeur"], users["agent"]
    deposes = list(dossiers_visible_to(instructeur).order_by("pk")[:4])
    profil = Profil.objects.order_by("pk").exclude(type_profil__code="foyer").first()
    maintenant = timezone.localtime()
    contacts = []
    for jours, heure, canal, sens, objet, texte, qui, modele, dossier, statut in CONTACTS:
        individus, profils, libre = [], [], ""
        if qui.startswith("libre:"):
            libre = qui.removeprefix("libre:")
        elif qui == "profil" and profil is not None:
            profils = [profil]
        else:
            individus = list(Individu.objects.filter(prenom=qui).order_by("pk")[:1])
        quand = (maintenant - datetime.timedelta(days=jours)).replace(
            hour=heure, minute=15, second=0, microsecond=0
        )
        contacts.append(
            services.contact_enregistrer(
                by=agent if jours % 2 else instructeur,
                canal=canal,
                sens=sens,
                quand=min(quand, maintenant),
                objet=objet,
                compte_rendu=texte,
                individus=individus,
                profils=profils,
                interlocuteur_libre=libre,
                modele=modeles[modele] if modele is not None else None,
                # The plain agent cannot open dossiers: links are made by the instructeur.
                dossiers=[deposes[dossier]]
                if dossier is not None and dossier < len(deposes) and not jours % 2
                else [],
                statut=statut,
            )
        )
    # A contact moved into a dossier afterwards, as the desk does (« Déplacer vers dossier »).
    if len(deposes) > 1:
        services.contact_deplacer_vers_dossier(
            contact=contacts[3], dossier=deposes[1], by=instructeur
        )
    _plans(contacts, deposes, users)


def _plans(contacts: list[Contact], deposes: list, users: dict) -> None:
    instructeur, agent = users["instructeur"], users["agent"]
    aujourd_hui = timezone.localdate()
    jour = datetime.timedelta(days=1)
    reclamation = contacts[4]
    for libelle, echeance, qui in (
        ("Transmettre aux services techniques", aujourd_hui - 2 * jour, agent),
        ("Vérifier la réparation du lampadaire", aujourd_hui + 5 * jour, instructeur),
        ("Répondre par courrier au riverain", aujourd_hui + 10 * jour, agent),
    ):
        services.tache_ajouter(
            by=instructeur, contact=reclamation, libelle=libelle, echeance=echeance, assignee=qui
        )
    premiere = reclamation.plan_action.taches.order_by("pk").first()
    services.tache_terminer(tache=premiere, by=agent)
    services.tache_ajouter(
        by=instructeur,
        contact=contacts[5],
        libelle="Rappeler si le RIB n’est pas arrivé",
        echeance=aujourd_hui + 2 * jour,
        assignee=instructeur,
    )
    if deposes:
        services.tache_ajouter(
            by=instructeur,
            dossier=deposes[0],
            libelle="Contrôler l’avis d’imposition déposé à l’accueil",
            echeance=aujourd_hui + jour,
            assignee=instructeur,
            notes="Déposé à l’accueil le matin même.",
        )
