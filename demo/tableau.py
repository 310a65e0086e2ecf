"""Demo dashboards per profil métier (C1, issue 9): each profil proposes its blocks in
its order; the demo's agents without a composition of their own see them. Inès Moreau
(« Agent d’accueil », reads most dispositifs, instructs the civil-status requests) follows
two dossiers she may see: her « Favoris ». Idempotent."""

from dossiers import services_routage
from dossiers.models import ProfilMetier
from dossiers.selectors import dossiers_visible_to

TABLEAUX = {
    "direction": ["dispositifs", "bannettes", "en_retard", "favoris"],
    "instruction": [
        "mes_dossiers",
        "favoris",
        "en_retard",
        "justificatifs_renvoyes",
        "taches",
        "bannettes",
        "non_attribues",
    ],
    "instructeur-solidarites": ["bannettes", "mes_dossiers", "non_attribues", "favoris"],
    "agent-accueil": ["favoris", "taches", "dispositifs"],
    "services-techniques": ["non_attribues", "mes_dossiers", "en_retard"],
}
ACCUEIL = "accueil.mairie@demo.guichet.fr"


def load_tableaux_profils() -> None:
    for code, blocs in TABLEAUX.items():
        ProfilMetier.objects.filter(code=code).update(tableau_de_bord=blocs)
    from accounts.models import User

    accueil = User.objects.filter(email=ACCUEIL).first()
    if accueil is None:
        return
    for dossier in dossiers_visible_to(accueil).order_by("-depose_le", "-pk")[:2]:
        services_routage.dossier_suivre(dossier=dossier, agent=accueil)
