from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsagersConfig(AppConfig):
    name = "usagers"
    verbose_name = _("Référentiel des usagers")
