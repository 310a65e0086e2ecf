from django.urls import path

from portal import (
    views,
    views_api,
    views_catalogue,
    views_compte,
    views_corrections,
    views_dossiers,
    views_edition,
    views_justificatifs,
    views_messages,
    views_profils,
    views_suivi,
    views_wizard,
)

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("demarches/", views_catalogue.catalogue, name="catalogue"),
    path("demarches/pour/<slug:code>/", views_catalogue.catalogue_type, name="catalogue_type"),
    path("demarches/<slug:slug>/", views_catalogue.fiche, name="fiche"),
    path(
        "demarches/<slug:slug>/modeles/<int:piece_pk>/",
        views_catalogue.fiche_modele,
        name="fiche_modele",
    ),
    path("demarches/<slug:slug>/demande/", views_wizard.demande, name="demande"),
    # Without an account (P6, F14): the wizard, its last step, and following the request
    path(
        "demarches/<slug:slug>/demande/sans-compte/",
        views_wizard.demande_sans_compte,
        name="demande_sans_compte",
    ),
    path(
        "demarches/<slug:slug>/demande/sans-compte/coordonnees/",
        views_suivi.coordonnees,
        name="demande_sans_compte_coordonnees",
    ),
    path("suivi/", views_suivi.code, name="suivi"),
    path("suivi/nouveau-lien/", views_suivi.renvoyer, name="suivi_renvoyer"),
    path("suivi/confirmation/<int:pk>/", views_suivi.confirmation, name="suivi_confirmation"),
    path("suivi/<str:jeton>/", views_suivi.lien, name="suivi_lien"),
    path("mon-compte/rattacher/", views_suivi.rattacher, name="suivi_rattacher"),
    path("mon-compte/", views_compte.account, name="account"),
    # Tracking (P10): the list, then one URL per tab of a dossier's page
    path("mon-compte/demandes/", views_dossiers.dossiers, name="dossiers"),
    path("mon-compte/demandes/<int:pk>/", views_dossiers.dossier, name="dossier"),
    path(
        "mon-compte/demandes/<int:pk>/donnees/",
        views_dossiers.dossier_donnees,
        name="dossier_donnees",
    ),
    path(
        "mon-compte/demandes/<int:pk>/documents/",
        views_dossiers.dossier_documents,
        name="dossier_documents",
    ),
    path(
        "mon-compte/demandes/<int:pk>/documents/<int:document_pk>/",
        views_dossiers.dossier_document,
        name="dossier_document",
    ),
    path(
        "demarches/<slug:slug>/pour-un-tiers/",
        views_edition.demande_pour_autrui,
        name="demande_pour_autrui",
    ),
    path("mon-compte/", views_compte.account, name="account"),
    # Correction requests (issue 8, I10): the citizen corrects the fields named by the agent
    path(
        "mon-compte/demandes/<int:pk>/correction/",
        views_corrections.dossier_correction,
        name="dossier_correction",
    ),
    # Who edits a dossier (F14, F10): drafts, co-editors, transfer, modification
    path(
        "mon-compte/brouillons/<int:pk>/supprimer/",
        views_edition.brouillon_supprimer,
        name="brouillon_supprimer",
    ),
    path(
        "mon-compte/demandes/<int:pk>/partage/",
        views_edition.dossier_partage,
        name="dossier_partage",
    ),
    path(
        "mon-compte/demandes/<int:pk>/partage/invitations/<int:invitation_pk>/annuler/",
        views_edition.invitation_dossier_revoquer,
        name="invitation_dossier_revoquer",
    ),
    path(
        "mon-compte/demandes/<int:pk>/partage/coediteurs/<int:coediteur_pk>/retirer/",
        views_edition.coediteur_retirer,
        name="coediteur_retirer",
    ),
    path(
        "mon-compte/demandes/<int:pk>/partage/transfert/annuler/",
        views_edition.transfert_annuler,
        name="transfert_annuler",
    ),
    path(
        "mon-compte/demandes/<int:pk>/modifier/",
        views_edition.dossier_modifier,
        name="dossier_modifier",
    ),
    path(
        "mon-compte/partages/<str:token>/",
        views_edition.partage_accepter,
        name="partage_accepter",
    ),
    path("transfert/<str:token>/", views_edition.transfert_accepter, name="transfert_accepter"),
    path(
        "mon-compte/demandes/<int:pk>/reprendre/",
        views_wizard.demande_reprendre,
        name="demande_reprendre",
    ),
    path(
        "mon-compte/demandes/<int:pk>/confirmation/",
        views_wizard.demande_confirmation,
        name="demande_confirmation",
    ),
    # Conversation of a dossier (P11)
    path(
        "mon-compte/demandes/<int:pk>/messages/",
        views_messages.dossier_messages,
        name="dossier_messages",
    ),
    path(
        "mon-compte/demandes/<int:pk>/messages/pieces/<int:piece_pk>/",
        views_messages.message_piece_jointe,
        name="message_piece_jointe",
    ),
    # Justificatifs (issue 7, P12): the dossier's tab, every file through an access check
    path(
        "mon-compte/demandes/<int:pk>/justificatifs/",
        views_justificatifs.dossier_justificatifs,
        name="dossier_justificatifs",
    ),
    path(
        "mon-compte/justificatifs/<int:pk>/fichier/",
        views_justificatifs.justificatif_fichier,
        name="justificatif_fichier",
    ),
    path(
        "mon-compte/profils/<int:pk>/documents/",
        views_justificatifs.profil_document,
        name="profil_document",
    ),
    path("mon-compte/informations/", views_compte.account_edit, name="account_edit"),
    path("mon-compte/documents/<int:pk>/", views_compte.document, name="document"),
    path("mon-compte/notifications/", views_compte.notifications, name="notifications"),
    path(
        "mon-compte/notifications/compteur/",
        views_compte.notifications_compteur,
        name="notifications_compteur",
    ),
    path("mon-compte/profil-courant/", views_compte.profil_switch, name="profil_switch"),
    path("mon-compte/profils/nouveau/", views_profils.profil_create, name="profil_create"),
    path("mon-compte/profils/<int:pk>/", views_profils.profil_detail, name="profil_detail"),
    path("mon-compte/profils/<int:pk>/modifier/", views_profils.profil_edit, name="profil_edit"),
    path("mon-compte/profils/<int:pk>/inviter/", views_profils.profil_invite, name="profil_invite"),
    path("mon-compte/profils/<int:pk>/quitter/", views_profils.profil_leave, name="profil_leave"),
    path(
        "mon-compte/profils/<int:pk>/invitations/<int:invitation_pk>/revoquer/",
        views_profils.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "mon-compte/profils/<int:pk>/membres/<int:membre_pk>/retirer/",
        views_profils.membre_remove,
        name="membre_remove",
    ),
    path("invitation/<str:token>/", views_profils.invitation, name="invitation"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal, name="legal"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    # Field-type endpoints (suggestions for the adresse, commune and epci fields)
    path("api/adresses/", views_api.adresses_suggerees, name="api_adresses"),
    path("api/communes/", views_api.communes_suggerees, name="api_communes"),
    path("api/epci/", views_api.epci_suggeres, name="api_epci"),
]
