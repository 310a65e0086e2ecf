"""Feed one inbound mail (raw, on stdin or from a file) to the reply handlers.

For an MTA pipe (Postfix `mailbox_command` or an alias "|manage.py recevoir_reponse"):
a reply to a notification lands in the conversation of what the message concerned.
Exit status 0 when delivered, 67 (EX_NOUSER) when refused, so the MTA bounces it.
"""

import sys

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Reçoit une réponse à un courriel de notification (courriel brut sur l’entrée standard)."

    def add_arguments(self, parser):
        parser.add_argument(
            "fichier", nargs="?", help="Fichier .eml (par défaut : l’entrée standard)"
        )

    def handle(self, *args, fichier=None, **options):
        if fichier:
            with open(fichier, "rb") as f:
                brut = f.read()
        else:
            brut = sys.stdin.buffer.read()
        try:
            type_objet = services.recevoir_reponse(brut)
        except services.ReponseRefusee as refus:
            self.stderr.write(str(refus))
            sys.exit(67)
        self.stdout.write(f"Réponse transmise ({type_objet}).")
