from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail usager")

    def ready(self):
        from allauth.account.signals import password_changed, password_reset

        from portal import evenements, views_justificatifs

        password_changed.connect(evenements.mot_de_passe_modifie, dispatch_uid="portal-mdp")
        password_reset.connect(evenements.mot_de_passe_modifie, dispatch_uid="portal-mdp-oubli")
        views_justificatifs.register()
