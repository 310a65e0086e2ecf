from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        # Documents (éditique) are written for dossiers through this registered context.
        from dossiers import editique
        from editique import contextes

        contextes.enregistrer(editique.ContexteDossier())

        # Who edits a dossier (F14): co-editing, transfer and draft-expiry mails.
        from dossiers import evenements_edition

        evenements_edition.register()
