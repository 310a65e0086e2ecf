from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstructionConfig(AppConfig):
    name = "instruction"
    verbose_name = _("Instruction")

    def ready(self) -> None:
        from dossiers import suivi
        from dossiers.selectors_journal import register_source
        from dossiers.signals import dossier_depose
        from instruction import actions, evenements, evenements_corrections, services
        from instruction.suivi import FournisseurGuide

        actions.register_builtins()
        evenements.register()
        evenements_corrections.register()
        suivi.register_fournisseur(FournisseurGuide())
        # A filed dossier enters its guide's initial statut (in the deposit's transaction).
        dossier_depose.connect(services.on_dossier_depose, dispatch_uid="instruction.entrer")
        # The dossier's journal (C11) shows its moves along the guide.
        register_source("instruction.SuiviInstructionEvent")
        # Minutes templates of commission séances (I6): the « seance » context.
        from editique import contextes
        from instruction.editique_commissions import ContexteSeance

        contextes.enregistrer(ContexteSeance())

        # The CRM list's étape, statut and lateness filters, sorts and counts (C2).
        from instruction import liste

        liste.enregistrer()
