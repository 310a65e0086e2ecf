from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsagersConfig(AppConfig):
    name = "usagers"
    verbose_name = _("Référentiel des usagers")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from usagers.receivers import record_login

        user_logged_in.connect(record_login, dispatch_uid="usagers.record_login")
