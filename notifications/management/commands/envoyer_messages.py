"""Drain the outbox in this process: what is due, and what a dead worker left behind.

Without a worker (the demo without REDIS_URL) this is how messages waiting after a
temporary error leave; with workers, beat runs the same sweep every minute.
"""

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from notifications import services
from notifications.models import Message, Statut


class Command(BaseCommand):
    help = "Envoie les messages en attente dont l’heure est venue (file d’envoi)."

    def add_arguments(self, parser):
        parser.add_argument("--tous", action="store_true", help="Sans attendre leur heure.")

    def handle(self, *args, tous=False, **options):
        maintenant = timezone.now()
        attente = Q(statut=Statut.EN_ATTENTE)
        if not tous:
            attente &= Q(prochaine_tentative__lte=maintenant)
        pks = Message.objects.filter(
            attente | Q(statut=Statut.ENVOI_EN_COURS, bail_jusqua__lt=maintenant)
        ).values_list("pk", flat=True)
        bilan: dict[str, int] = {}
        for pk in list(pks):
            resultat = services.livrer(pk, force=tous)
            bilan[resultat] = bilan.get(resultat, 0) + 1
        self.stdout.write(", ".join(f"{k} : {v}" for k, v in sorted(bilan.items())) or "rien")
