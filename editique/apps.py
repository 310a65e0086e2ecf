from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditiqueConfig(AppConfig):
    name = "editique"
    verbose_name = _("Éditique")
