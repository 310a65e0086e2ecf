from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail usager")

    def ready(self):
        from allauth.account.signals import password_changed, password_reset
        from django.contrib.auth.signals import user_logged_in

        from common.extensions import OngletDossier, register_a_faire, register_onglet_portail
        from portal import edition, evenements, views_justificatifs

        # The dossier page's tabs this app serves (P10); other slices add theirs.
        for onglet in (
            OngletDossier("suivi", _("Suivi"), "portal:dossier", ordre=10),
            OngletDossier("donnees", _("Ma demande"), "portal:dossier_donnees", ordre=20),
            OngletDossier("documents", _("Documents"), "portal:dossier_documents", ordre=50),
        ):
            register_onglet_portail(onglet)

        password_changed.connect(evenements.mot_de_passe_modifie, dispatch_uid="portal-mdp")
        password_reset.connect(evenements.mot_de_passe_modifie, dispatch_uid="portal-mdp-oubli")
        user_logged_in.connect(
            evenements.notifications_a_la_connexion, dispatch_uid="portal-notifications-connexion"
        )
        views_justificatifs.register()

        # Who edits the dossier (F14): its author's tab only.
        register_onglet_portail(
            OngletDossier(
                code="partage",
                libelle=_("Partage"),
                url_name="portal:dossier_partage",
                ordre=60,
                visible=lambda dossier, user: (
                    user.is_authenticated and dossier.cree_par_id == user.pk
                ),
            )
        )
        register_a_faire("partages", edition.propositions_a_traiter)

        # Correction requests waiting for the citizen (I10).
        from portal import views_corrections

        register_a_faire("corrections", views_corrections.corrections_a_faire)
