"""Commissions and meetings (issue 9, I6), included at the CRM's root."""

from django.urls import path

from crm.commissions import views, views_dossier, views_reunions

urlpatterns = [
    path("commissions/", views.commissions, name="commissions"),
    path("commissions/seances/nouvelle/", views.seance_creer, name="seance_creer"),
    path("commissions/seances/<int:pk>/", views.seance, name="seance"),
    path("commissions/seances/<int:pk>/modifier/", views.seance_modifier, name="seance_modifier"),
    path("commissions/seances/<int:pk>/clore/", views.seance_clore, name="seance_clore"),
    path(
        "commissions/seances/<int:pk>/ordre-du-jour.pdf",
        views.seance_ordre_du_jour,
        name="seance_ordre_du_jour",
    ),
    path("commissions/seances/<int:pk>/proces-verbal.pdf", views.seance_pv, name="seance_pv"),
    path(
        "commissions/seances/<int:pk>/points/<int:point_pk>/decision/",
        views.seance_decision,
        name="seance_decision",
    ),
    path(
        "commissions/seances/<int:pk>/points/<int:point_pk>/deplacer/",
        views.seance_point_deplacer,
        name="seance_point_deplacer",
    ),
    path(
        "commissions/seances/<int:pk>/points/<int:point_pk>/retirer/",
        views.seance_point_retirer,
        name="seance_point_retirer",
    ),
    path(
        "commissions/seances/<int:pk>/documents/",
        views.seance_document_deposer,
        name="seance_document_deposer",
    ),
    path(
        "commissions/seances/<int:pk>/documents/<int:document_pk>/",
        views.seance_document,
        name="seance_document",
    ),
    path("commissions/inscrire/", views_dossier.inscrire, name="commissions_inscrire"),
    path(
        "dossiers/<int:pk>/commissions/",
        views_dossier.dossier_commissions,
        name="dossier_commissions",
    ),
    path("reunions/", views_reunions.reunions, name="reunions"),
    path("reunions/nouvelle/", views_reunions.reunion, name="reunion_creer"),
    path("reunions/<int:pk>/", views_reunions.reunion, name="reunion"),
]
