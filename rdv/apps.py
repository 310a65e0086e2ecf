from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RdvConfig(AppConfig):
    name = "rdv"
    verbose_name = _("Rendez-vous")
