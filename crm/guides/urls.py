"""The guide builder's URLs (issue 8, I1 and F7), included under /crm/guides/ in the crm
namespace."""

from django.urls import path

from crm.guides import views, views_automatismes, views_elements

urlpatterns = [
    path("", views.liste, name="guides"),
    path("dispositifs/<int:pk>/creer/", views.creer, name="guide_creer"),
    path("dispositifs/<int:pk>/importer/", views.importer, name="guide_importer"),
    path("versions/<int:pk>/", views.version, name="guide_version"),
    path("versions/<int:pk>/publier/", views.publier, name="guide_publier"),
    path("versions/<int:pk>/copier/", views.copier, name="guide_copier"),
    path("versions/<int:pk>/exporter/", views.exporter, name="guide_exporter"),
    path(
        "versions/<int:pk>/etapes/ajouter/",
        views_elements.etape_ajouter,
        name="guide_etape_ajouter",
    ),
    path("etapes/<int:pk>/modifier/", views_elements.etape_modifier, name="guide_etape_modifier"),
    path("etapes/<int:pk>/deplacer/", views_elements.etape_deplacer, name="guide_etape_deplacer"),
    path(
        "etapes/<int:pk>/supprimer/", views_elements.etape_supprimer, name="guide_etape_supprimer"
    ),
    path(
        "etapes/<int:pk>/statuts/ajouter/",
        views_elements.statut_ajouter,
        name="guide_statut_ajouter",
    ),
    path(
        "statuts/<int:pk>/modifier/", views_elements.statut_modifier, name="guide_statut_modifier"
    ),
    path(
        "statuts/<int:pk>/deplacer/", views_elements.statut_deplacer, name="guide_statut_deplacer"
    ),
    path(
        "statuts/<int:pk>/supprimer/",
        views_elements.statut_supprimer,
        name="guide_statut_supprimer",
    ),
    path(
        "statuts/<int:pk>/actions/ajouter/",
        views_elements.action_ajouter,
        name="guide_action_ajouter",
    ),
    path("actions/<int:pk>/", views_elements.action_modifier, name="guide_action"),
    path(
        "actions/<int:pk>/deplacer/", views_elements.action_deplacer, name="guide_action_deplacer"
    ),
    path(
        "actions/<int:pk>/supprimer/",
        views_elements.action_supprimer,
        name="guide_action_supprimer",
    ),
    # Timers and déclencheurs of a version (I8)
    path(
        "versions/<int:pk>/automatismes/",
        views_automatismes.automatismes,
        name="guide_automatismes",
    ),
    path(
        "versions/<int:pk>/minuteurs/ajouter/",
        views_automatismes.minuteur_ajouter,
        name="guide_minuteur_ajouter",
    ),
    path("minuteurs/<int:pk>/", views_automatismes.minuteur_modifier, name="guide_minuteur"),
    path(
        "minuteurs/<int:pk>/supprimer/",
        views_automatismes.minuteur_supprimer,
        name="guide_minuteur_supprimer",
    ),
    path(
        "versions/<int:pk>/declencheurs/ajouter/",
        views_automatismes.declencheur_ajouter,
        name="guide_declencheur_ajouter",
    ),
    path(
        "declencheurs/<int:pk>/",
        views_automatismes.declencheur_modifier,
        name="guide_declencheur",
    ),
    path(
        "declencheurs/<int:pk>/secret/",
        views_automatismes.declencheur_secret,
        name="guide_declencheur_secret",
    ),
    path(
        "declencheurs/<int:pk>/supprimer/",
        views_automatismes.declencheur_supprimer,
        name="guide_declencheur_supprimer",
    ),
]
