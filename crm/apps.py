from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("CRM agents")

    def ready(self) -> None:
        # The agent's dossier page tabs (F8): Synthèse, Données, Documents, Historique.
        from common.extensions import OngletDossier, register_onglet_crm

        for code, libelle, url_name, ordre in (
            ("synthese", _("Synthèse"), "crm:dossier", 10),
            ("donnees", _("Données"), "crm:dossier_donnees", 20),
            ("documents", _("Documents"), "crm:dossier_documents", 50),
            ("historique", _("Historique"), "crm:dossier_historique", 90),
        ):
            register_onglet_crm(
                OngletDossier(code=code, libelle=libelle, url_name=url_name, ordre=ordre)
            )

        # The justificatifs tab (P12).
        from crm.dossiers import views_justificatifs

        views_justificatifs.register()

        # The Instruction tab: lifeline and statut changes of the guide (issue 8).
        from crm.dossiers import views_instruction

        views_instruction.register()

        # The Journal tab: every change of the dossier, for agents with the right (C11).
        from crm.dossiers import views_journal

        views_journal.register()

        # The dashboard's own dashlets (C1).
        from crm.tableau_de_bord import dashlets

        dashlets.register()

        # Exports (C12, C15): the CRM list is a source of exports.
        from crm.exports import sources

        sources.register()

        # Issue 9 — commissions: the dossier's « Commissions » tab (I6).
        from crm.commissions import views_dossier

        views_dossier.register()

        # Issue 9 — contacts GRC (C5): the « Contacts » tab (contacts and action plan),
        # the « Mes tâches » dashlet.
        from crm.contacts import dashlets as dashlets_contacts
        from crm.contacts import views_dossier as views_dossier_contacts

        views_dossier_contacts.register()
        dashlets_contacts.register()
