"""Issue 9 — terr: an assigned agent who lost the right to instruct (C7).

Julien Roux (services techniques) instructed the room bookings until they moved to the
associations' service: his profil « Services techniques » now only reads « Location de
salle municipale » (demo/droits.py's MATRICE), yet two of those dossiers are still his.
On such a dossier the « Agent chargé » select keeps him, selected, marked « sans droit
d'instruire ce dossier », until an instructeur gives it to an entitled agent.

The assignment goes through the service while his profil still held the right, then the
right is taken back — as it happened. Loaded after the rights (demo/droits.py).
Idempotent: nothing is done once he holds such dossiers."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission

from accounts.models import User
from dossiers import services_gestion
from dossiers.models import Dossier, DroitDispositif, ProfilMetier

EMAIL = "services.techniques@demo.guichet.fr"
DISPOSITIF = "location-salle-municipale"
NOMBRE = 2


def load_agent_sans_droit(users: dict[str, User]) -> None:
    profil = ProfilMetier.objects.filter(code="services-techniques").first()
    droit = DroitDispositif.objects.filter(
        profil_metier=profil, dispositif__slug=DISPOSITIF
    ).first()
    if profil is None or droit is None:
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
    profil.agents.add(julien)
    salles = Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON).filter(
        dispositif__slug=DISPOSITIF, supprime_le__isnull=True, clos_le__isnull=True
    )
    if salles.filter(agent=julien).exists():
        return
    # Unassigned ones first: the other agents' demo dossiers stay theirs.
    choisis = list(salles.filter(agent__isnull=True).order_by("depose_le", "pk")[:NOMBRE])
    choisis = choisis or list(salles.order_by("depose_le", "pk")[:NOMBRE])
    avant = {d: getattr(droit, d) for d in ("instruire", "exporter")}
    DroitDispositif.objects.filter(pk=droit.pk).update(instruire=True, exporter=True)
    try:
        for dossier in choisis:
            # A fresh user object each time: the scope is cached on it.
            services_gestion.dossier_attribuer(
                dossier=dossier, agent=User.objects.get(pk=julien.pk), by=users["admin"]
            )
    finally:
        DroitDispositif.objects.filter(pk=droit.pk).update(**avant)
