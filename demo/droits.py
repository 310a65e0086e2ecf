"""Demo rights (C7) and territories (C8) for Belleville-sur-Loire (Cher, 18240).

Profils métier with a realistic matrix: « Direction » (everything, every dispositif),
« Instruction » (the demo's two instructing agents: every dispositif, without deletion),
« Instructeur Solidarités » (the CCAS and school dispositifs), « Agent d'accueil »
(reads everything, instructs the civil-status requests), « Services techniques » (the
skip). Territories: the commune, its two quartiers drawn as polygons, and the
neighbouring communes sharing the postal code 18240 (narrowed by INSEE code). Two agents
restricted to a territoire; every filed dossier sectorised. Idempotent."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission

from accounts.models import User
from dossiers.models import (
    Dispositif,
    Dossier,
    DroitDispositif,
    ProfilMetier,
    Secteur,
    Territoire,
    TypeTerritoire,
)
from dossiers.services_territoires import sectoriser_dossiers

TOUT = dict.fromkeys(("voir", "instruire", "configurer", "exporter", "supprimer"), True)
INSTRUCTION = {"voir": True, "instruire": True, "exporter": True}

PROFILS = [
    # (code, libellé, description, tous_dispositifs, its rights)
    ("direction", "Direction", "Direction générale des services : tous les droits.", True, TOUT),
    (
        "instruction",
        "Instruction",
        "Instruction de toutes les demandes, sans suppression.",
        True,
        INSTRUCTION,
    ),
    (
        "instructeur-solidarites",
        "Instructeur Solidarités",
        "CCAS et périscolaire : instruit et exporte les demandes de ces dispositifs.",
        False,
        {},
    ),
    (
        "agent-accueil",
        "Agent d’accueil",
        "Accueil de la mairie : consulte les demandes, instruit l’état civil.",
        False,
        {},
    ),
    (
        "services-techniques",
        "Services techniques",
        "Voirie et propreté : instruit les mises à disposition de bennes.",
        False,
        {},
    ),
]
# Per-dispositif rows: profil code → {dispositif slug: rights}.
MATRICE = {
    "instructeur-solidarites": {
        "aide-sociale-facultative": {**INSTRUCTION, "configurer": True},
        "inscription-periscolaire": INSTRUCTION,
    },
    "agent-accueil": {
        "acte-etat-civil": {"voir": True, "instruire": True},
        "location-salle-municipale": {"voir": True},
        "subvention-associations": {"voir": True},
        "mise-a-disposition-benne": {"voir": True},
        "inscription-periscolaire": {"voir": True},
    },
    "services-techniques": {
        "mise-a-disposition-benne": {**INSTRUCTION, "configurer": True},
        "location-salle-municipale": {"voir": True},
    },
}

# Belleville's centre is about (2.8522, 47.5014); the Loire runs along its east side.
BOURG = [[2.835, 47.490], [2.8522, 47.490], [2.8522, 47.515], [2.835, 47.515], [2.835, 47.490]]
LOIRE = [[2.8522, 47.490], [2.870, 47.490], [2.870, 47.515], [2.8522, 47.515], [2.8522, 47.490]]

AGENTS_TERRITOIRE = [
    # (email, first name, last name, profil, territoire code)
    ("accueil.mairie@demo.guichet.fr", "Inès", "Moreau", "agent-accueil", "belleville"),
    (
        "solidarites.voisines@demo.guichet.fr",
        "Hugo",
        "Petit",
        "instructeur-solidarites",
        "communes-voisines",
    ),
]


def load_profils_metier(users: dict[str, User]) -> None:
    """The profils métier, before the loaders acting as the demo's agents: those two
    instruct every dispositif (« Instruction »), the administrator directs."""
    for code, libelle, description, tous, droits in PROFILS:
        ProfilMetier.objects.update_or_create(
            code=code,
            defaults={
                "libelle": libelle,
                "description": description,
                "tous_dispositifs": tous,
                **{d: d in droits for d in TOUT},
            },
        )
    ProfilMetier.objects.get(code="instruction").agents.add(users["agent"], users["instructeur"])
    ProfilMetier.objects.get(code="direction").agents.add(users["admin"])


def _territoire(code, nom, type_, parent=None) -> Territoire:
    territoire, _ = Territoire.objects.update_or_create(
        code=code, defaults={"nom": nom, "type": type_, "parent": parent}
    )
    return territoire


def _secteur(territoire, **champs) -> None:
    if not Secteur.objects.filter(territoire=territoire, **champs).exists():
        secteur = Secteur(territoire=territoire, **champs)
        secteur.full_clean()
        secteur.save()


def load_droits_territoires(users: dict[str, User]) -> None:
    dispositifs = dict(Dispositif.objects.values_list("slug", "pk"))
    for code, lignes in MATRICE.items():
        profil = ProfilMetier.objects.get(code=code)
        for slug, droits in lignes.items():
            if slug in dispositifs:
                DroitDispositif.objects.update_or_create(
                    profil_metier=profil,
                    dispositif_id=dispositifs[slug],
                    defaults={d: d in droits for d in TOUT},
                )

    commune, _ = TypeTerritoire.objects.get_or_create(
        code="commune", defaults={"libelle": "Commune", "ordre": 0}
    )
    quartier, _ = TypeTerritoire.objects.get_or_create(
        code="quartier", defaults={"libelle": "Quartier", "ordre": 1}
    )
    secteur, _ = TypeTerritoire.objects.get_or_create(
        code="secteur", defaults={"libelle": "Secteur", "ordre": 2}
    )
    belleville = _territoire("belleville", "Belleville-sur-Loire", commune)
    _secteur(belleville, nature=Secteur.Nature.COMMUNE, code_insee="18026")
    bourg = _territoire("quartier-bourg", "Quartier du Bourg", quartier, belleville)
    _secteur(
        bourg,
        nature=Secteur.Nature.POLYGONE,
        libelle="Bourg et gare",
        polygone={"type": "Polygon", "coordinates": [BOURG]},
    )
    loire = _territoire("quartier-loire", "Quartier des Bords de Loire", quartier, belleville)
    _secteur(
        loire,
        nature=Secteur.Nature.POLYGONE,
        libelle="Quais et port",
        polygone={"type": "Polygon", "coordinates": [LOIRE]},
    )
    # Issue 9 — suivi9: a territoire created before its secteurs are drawn: the map's
    # « Territoires » table lists it with « aucun secteur défini ».
    _territoire("quartier-hameaux", "Quartier des Hameaux", quartier, belleville)
    voisines = _territoire("communes-voisines", "Communes voisines (18240)", secteur)
    for insee, nom in (("18032", "Boulleret"), ("18125", "Léré"), ("18257", "Sury-près-Léré")):
        _secteur(
            voisines,
            nature=Secteur.Nature.CODE_POSTAL,
            libelle=nom,
            code_postal="18240",
            code_insee=insee,
        )

    instruire = Permission.objects.get(codename="instruire_dossiers")
    for email, prenom, nom, profil, territoire in AGENTS_TERRITOIRE:
        agent, created = User.objects.get_or_create(
            email=email, defaults={"first_name": prenom, "last_name": nom, "is_agent": True}
        )
        if created:
            from demo.management.commands.load_demo import DEMO_PASSWORD

            agent.set_password(DEMO_PASSWORD)
            agent.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=agent, email=email, defaults={"verified": True, "primary": True}
        )
        agent.user_permissions.add(instruire)
        ProfilMetier.objects.get(code=profil).agents.add(agent)
        Territoire.objects.get(code=territoire).agents.add(agent)
    sectoriser_dossiers(Dossier.objects.all())
