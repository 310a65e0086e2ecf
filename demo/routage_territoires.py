"""Demo routing by territoire (C14 × C8): the neighbouring communes' requests go to their
antenne, whatever the dispositif — a rule placed before the dispositifs' rules. Loaded
after the territoires (demo/droits.py); the filed dossiers of those communes are routed
again so the demo shows it. Idempotent."""

from accounts.models import User
from dossiers import services_routage
from dossiers.models import Dossier, Equipe, RegleRoutage, Territoire

REGLE = "Communes voisines : antenne"


def load_routage_territoires(users: dict[str, User]) -> None:
    voisines = Territoire.objects.filter(code="communes-voisines").first()
    if voisines is None:
        return
    antenne, cree = Equipe.objects.get_or_create(
        code="antenne-voisines",
        defaults={
            "nom": "Antenne des communes voisines",
            "description": "Boulleret, Léré, Sury-près-Léré : toutes leurs demandes.",
        },
    )
    if cree:
        antenne.agents.set(
            User.objects.filter(email__in=["solidarites.voisines@demo.guichet.fr"])
            | User.objects.filter(pk=users["instructeur"].pk)
        )
    if not RegleRoutage.objects.filter(nom=REGLE).exists():
        RegleRoutage.objects.create(nom=REGLE, ordre=5, territoire=voisines, equipe=antenne)
        deposes = Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON).filter(
            supprime_le__isnull=True, territoire=voisines
        )
        for dossier in deposes.order_by("pk"):
            services_routage.router(dossier=dossier, by=None)
