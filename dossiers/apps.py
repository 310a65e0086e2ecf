from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        # Documents (éditique) are written for dossiers through this registered context.
        from dossiers import (
            editique,
            evenements_hors_compte,
            services_gestion,  # noqa: F401 (registers the merge hooks)
        )
        from editique import contextes

        contextes.enregistrer(editique.ContexteDossier())

        # The conversation (P11): events, mail replies, tabs, « Mon compte ».
        from dossiers import extensions_conversation

        extensions_conversation.register()
        evenements_hors_compte.register()
        # After submission (P8): the acknowledgement event admins map to templates.
        from dossiers import services_suivi_usager
        from notifications.registry import register_evenement

        register_evenement(services_suivi_usager.evenement_depose())
        from dossiers import evenements

        evenements.register()
        # Who edits a dossier (F14): co-editing, transfer and draft-expiry mails.
        from dossiers import evenements_edition

        evenements_edition.register()
        # The followers' daily digest (C14): an event admins map to an editable template.
        from dossiers import evenements_suivis

        evenements_suivis.register()
        # The CRM list's own filters, sorts, columns and indicators (C2, C15).
        from dossiers import liste

        liste.enregistrer_par_defaut()
        # C1: an agent's profils métier propose their default dashboard.
        from common.extensions import register_tableau_par_defaut
        from dossiers.selectors_droits import tableau_des_profils

        register_tableau_par_defaut(tableau_des_profils)
        # Issue 9 — tableau: the list's équipe and étiquette filters (C2 × C14).
        from dossiers import liste_routage

        liste_routage.enregistrer()
