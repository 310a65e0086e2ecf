"""Rebuild the CRM dashboard's counters from the dossiers (the bannettes' and the
filed dossiers per day): after a bulk load that bypassed the triggers, or to repair."""

from django.core.management.base import BaseCommand

from instruction import services_compteurs


class Command(BaseCommand):
    help = "Recompte les compteurs du tableau de bord du CRM à partir des dossiers."

    def handle(self, *args, **options):
        services_compteurs.recompter()
        self.stdout.write("Compteurs du tableau de bord recomptés.")
