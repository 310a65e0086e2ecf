"""Demo data for the agent's dossier pages (F8): a classification on three levels, the
cover's fields of the dispositifs, and some filed dossiers assigned, flagged, classified
and linked — through the services, so their history reads like an agent's day.
Idempotent: dossiers already handled are left alone."""

from dossiers import services_gestion
from dossiers.models import Classement, Dispositif, Dossier
from dossiers.selectors_gestion import noms_techniques

CLASSEMENT = {
    "Culture": {
        "Spectacle vivant": ["Théâtre", "Musique", "Danse"],
        "Patrimoine": [],
    },
    "Sport": {"Clubs": ["Fonctionnement", "Manifestations"]},
    "Solidarité": {"Aide sociale": []},
    "Cadre de vie": {"Voirie": [], "Environnement": []},
}


def _noeud(libelle: str, parent: Classement | None = None, ordre: int = 0) -> Classement:
    noeud, _ = Classement.objects.get_or_create(
        libelle=libelle, parent=parent, defaults={"ordre": ordre}
    )
    return noeud


def load_classement() -> dict[str, Classement]:
    noeuds: dict[str, Classement] = {}
    for i, (niveau1, enfants) in enumerate(CLASSEMENT.items()):
        racine = noeuds[niveau1] = _noeud(niveau1, ordre=i)
        for j, (niveau2, feuilles) in enumerate(enfants.items()):
            milieu = noeuds[niveau2] = _noeud(niveau2, racine, j)
            for k, niveau3 in enumerate(feuilles):
                noeuds[niveau3] = _noeud(niveau3, milieu, k)
    return noeuds


def load_couvertures() -> None:
    """The first three fields of each published form on the cover, when none is set."""
    for dispositif in Dispositif.objects.filter(champs_couverture=[]):
        noms = [nom for nom, _libelle in noms_techniques(dispositif)][:3]
        if noms:
            dispositif.champs_couverture = noms
            dispositif.save(update_fields=["champs_couverture", "updated_at"])


def load_dossiers_gestion(users: dict) -> None:
    noeuds = load_classement()
    load_couvertures()
    instructeur = users["instructeur"]
    agent = users["agent"]
    deposes = list(
        Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON)
        .filter(agent__isnull=True, classement__isnull=True)
        .order_by("pk")[:6]
    )
    if len(deposes) < 2 or Dossier.objects.filter(agent__isnull=False).exists():
        return
    feuilles = [noeuds["Théâtre"], noeuds["Fonctionnement"], noeuds["Musique"], noeuds["Voirie"]]
    for i, dossier in enumerate(deposes):
        services_gestion.dossier_attribuer(
            dossier=dossier, agent=instructeur if i % 2 == 0 else agent, by=instructeur
        )
        services_gestion.dossier_classer(
            dossier=dossier, classement=feuilles[i % len(feuilles)], by=instructeur
        )
    services_gestion.dossier_marquer(dossier=deposes[0], by=instructeur, urgent=True)
    services_gestion.dossier_marquer(dossier=deposes[1], by=agent, prioritaire=True, signale=True)
    services_gestion.dossier_lier_parent(
        dossier=deposes[1], reference=deposes[0].reference, by=instructeur
    )
    if len(deposes) >= 3:
        services_gestion.dossier_marquer_doublon(
            dossier=deposes[-1], reference=deposes[0].reference, by=instructeur
        )
