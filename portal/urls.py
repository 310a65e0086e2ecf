from django.urls import path

from portal import (
    views,
    views_api,
    views_catalogue,
    views_compte,
    views_edition,
    views_profils,
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
    path(
        "demarches/<slug:slug>/pour-un-tiers/",
        views_edition.demande_pour_autrui,
        name="demande_pour_autrui",
    ),
    path("mon-compte/", views_compte.account, name="account"),
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
