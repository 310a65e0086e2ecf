"""Idempotent demo data: a fictional commune, a citizen, an agent and an administrator.

Each later feature adds its own demo data here, so `make demo` always shows all of it.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "Guichet-demo-2026"

DEMO_USERS = [
    # (email, first name, last name, flags, role shown in the printed table)
    ("usager@demo.guichet.fr", "Camille", "Martin", {}, "usager"),
    ("agent@demo.guichet.fr", "Sophie", "Durand", {"is_agent": True}, "agent"),
    (
        "admin@demo.guichet.fr",
        "Karim",
        "Benali",
        {"is_agent": True, "is_staff": True, "is_superuser": True},
        "administrateur",
    ),
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les identifiants."

    @transaction.atomic
    def handle(self, *args, **options):
        for email, first_name, last_name, flags, _role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"first_name": first_name, "last_name": last_name, **flags},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )

        port = options.get("port") or "8000"
        self.stdout.write(self.style.SUCCESS(f"Démo : {settings.GUICHET_AUTHORITY_NAME}"))
        self.stdout.write(f"  Portail usager : http://127.0.0.1:{port}/")
        self.stdout.write(f"  Espace agents  : http://127.0.0.1:{port}/crm/")
        self.stdout.write(f"  Administration : http://127.0.0.1:{port}/admin/")
        self.stdout.write(f"  Mot de passe de tous les comptes : {DEMO_PASSWORD}")
        for email, _first, _last, _flags, role in DEMO_USERS:
            self.stdout.write(f"  {role:<15} {email}")

    def add_arguments(self, parser):
        parser.add_argument("--port", default=None, help="Port affiché dans les adresses.")
