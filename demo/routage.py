"""Demo data for routing and labels (C14): three teams of the commune's services, the
rules that route the demo dispositifs to them, a palette of labels, the filed dossiers
routed, labelled and followed by the instructeur, and one dossier in the trash.
Everything through the services; idempotent (what exists is left alone)."""

from dossiers import services_corbeille, services_routage
from dossiers.models import Dispositif, Dossier, Equipe, Etiquette, RegleRoutage

EQUIPES = [
    # (code, nom, description, dispositifs' codes, agents' demo keys)
    (
        "associations",
        "Pôle associations",
        "Vie associative : subventions, prêts de salles, manifestations.",
        ["SUB", "SAL"],
        ["instructeur"],
    ),
    (
        "enfance",
        "Pôle enfance",
        "Périscolaire, restauration scolaire et accueils de loisirs.",
        ["PER"],
        ["agent"],
    ),
    (
        "accueil",
        "Accueil",
        "L’accueil de la mairie : état civil, CCAS, services techniques ; il oriente le reste.",
        ["ETC", "ASF", "BEN"],
        ["agent", "instructeur"],
    ),
]

# (nom, ordre, dispositif's code or None, champ, opérateur, valeur, communes, équipe)
REGLES = [
    ("Subventions aux associations", 10, "SUB", "", "=", "", "", "associations"),
    ("Locations de salles", 20, "SAL", "", "=", "", "", "associations"),
    ("Activités périscolaires", 30, "PER", "", "=", "", "", "enfance"),
    ("Tout le reste à l’accueil", 100, None, "", "=", "", "", "accueil"),
]

ETIQUETTES = [
    ("Pièce manquante", "orange-terre-battue", "Un justificatif manque ou est illisible."),
    ("À rappeler", "pink-tuile", "Le demandeur attend un appel."),
    ("Dossier sensible", "purple-glycine", "Situation délicate : à traiter avec discrétion."),
    ("Élu informé", "yellow-tournesol", "Un élu suit la demande."),
    ("Complet", "green-menthe", "Toutes les pièces sont là."),
]


def load_equipes(users: dict) -> dict[str, Equipe]:
    equipes = {}
    for code, nom, description, dispositifs, agents in EQUIPES:
        equipe, cree = Equipe.objects.get_or_create(
            code=code, defaults={"nom": nom, "description": description}
        )
        if cree:
            equipe.dispositifs.set(Dispositif.objects.filter(code__in=dispositifs))
            equipe.agents.set([users[a] for a in agents if a in users])
        equipes[code] = equipe
    return equipes


def load_regles(equipes: dict[str, Equipe]) -> None:
    for nom, ordre, dispositif, champ, operateur, valeur, communes, equipe in REGLES:
        if RegleRoutage.objects.filter(nom=nom).exists():
            continue
        RegleRoutage.objects.create(
            nom=nom,
            ordre=ordre,
            dispositif=Dispositif.objects.filter(code=dispositif).first() if dispositif else None,
            champ=champ,
            operateur=operateur,
            valeur=valeur,
            communes=communes,
            equipe=equipes[equipe],
        )


def load_etiquettes() -> dict[str, Etiquette]:
    return {
        libelle: Etiquette.objects.get_or_create(
            libelle=libelle, defaults={"couleur": couleur, "description": description}
        )[0]
        for libelle, couleur, description in ETIQUETTES
    }


def load_routage(users: dict) -> None:
    equipes = load_equipes(users)
    load_regles(equipes)
    etiquettes = load_etiquettes()
    deposes = Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON).filter(
        supprime_le__isnull=True
    )
    # The dossiers filed before the rules existed, routed as a deposit would have.
    for dossier in deposes.filter(equipe__isnull=True).order_by("pk"):
        services_routage.router(dossier=dossier, by=None)
    instructeur = users["instructeur"]
    choisis = list(deposes.order_by("pk")[:4])
    poses = [["Pièce manquante", "À rappeler"], ["Dossier sensible"], ["Complet"], ["Élu informé"]]
    for dossier, libelles in zip(choisis, poses, strict=False):
        if dossier.etiquettes.exists():
            continue
        for libelle in libelles:
            services_routage.dossier_etiqueter(
                dossier=dossier, etiquette=etiquettes[libelle], by=instructeur
            )
    for dossier in choisis[:2]:
        services_routage.dossier_suivre(dossier=dossier, agent=instructeur)
    # One dossier in the trash: the latest request for a skip (benne), if none is there.
    if not Dossier.objects.filter(supprime_le__isnull=False).exists():
        dossier = deposes.filter(dispositif__code="BEN").order_by("-pk").first()
        if dossier is not None:
            services_corbeille.dossier_mettre_a_la_corbeille(dossier=dossier, by=users.get("admin"))
