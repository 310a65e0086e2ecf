from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Contacts (GRC)")

    def ready(self) -> None:
        from contacts import services  # noqa: F401 (registers the merge hooks)
