"""Issue 9 — terr: an assigned agent who lost the right to instruct (C7).

Julien Roux instructed skip requests in the « Services techniques » until he moved to
the town hall's front desk: his profil is now « Agent d'accueil », which only reads
« Mise à disposition d'une benne » (demo/droits.py's MATRICE), yet two of those requests
are still his. On such a dossier the « Agent chargé » select keeps him, selected, marked
« sans droit d'instruire ce dossier », until an instructeur gives it to an entitled
agent.

As it happened: the dossiers are given to him through the service while he is in
« Services techniques », then he changes profil. Loaded after the rights
(demo/droits.py). Idempotent: nothing more is done once he holds dossiers."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission

from accounts.models import User
from dossiers import services_gestion
from dossiers.models import Dossier, ProfilMetier

EMAIL = "julien.roux@demo.guichet.fr"
DISPOSITIF = "mise-a-disposition-benne"
NOMBRE = 2


def load_agent_sans_droit(users: dict[str, User]) -> None:
    techniques = ProfilMetier.objects.filter(code="services-techniques").first()
    accueil = ProfilMetier.objects.filter(code="agent-accueil").first()
    if techniques is None or accueil is None:
        return
    julien, created = User.objects.get_or_create(
        email=EMAIL, defaults={"first_name": "Julien", "last_name": "Roux", "is_agent": True}
    )
    if created:
        from demo.management.commands.load_demo import DEMO_PASSWORD

        julien.set_password(DEMO_PASSWORD)
        julien.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=julien, email=EMAIL, defaults={"verified": True, "primary": True}
    )
    julien.user_permissions.add(Permission.objects.get(codename="instruire_dossiers"))
    if not Dossier.objects.filter(agent=julien).exists():
        techniques.agents.add(julien)
        # Unassigned open requests: the other agents' demo dossiers stay theirs.
        choisis = (
            Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON)
            .filter(
                dispositif__slug=DISPOSITIF,
                supprime_le__isnull=True,
                clos_le__isnull=True,
                agent__isnull=True,
            )
            .order_by("depose_le", "pk")[:NOMBRE]
        )
        for dossier in choisis:
            # A fresh user object each time: the scope is cached on it.
            services_gestion.dossier_attribuer(
                dossier=dossier, agent=User.objects.get(pk=julien.pk), by=users["admin"]
            )
    techniques.agents.remove(julien)
    accueil.agents.add(julien)
