"""Routing and labels (C14), included at the CRM's root in the crm namespace."""

from django.urls import path

from crm.routage import views_config, views_corbeille, views_dossier, views_suivis

urlpatterns = [
    # Configuration (dossiers.gerer_equipes): teams, routing rules, labels
    path("routage/equipes/", views_config.equipes, name="routage_equipes"),
    path("routage/equipes/nouvelle/", views_config.equipe, name="routage_equipe_creer"),
    path("routage/equipes/<int:pk>/", views_config.equipe, name="routage_equipe"),
    path("routage/regles/", views_config.regles, name="routage_regles"),
    path("routage/regles/nouvelle/", views_config.regle, name="routage_regle_creer"),
    path("routage/regles/<int:pk>/", views_config.regle, name="routage_regle"),
    path(
        "routage/regles/<int:pk>/deplacer/",
        views_config.regle_deplacer,
        name="routage_regle_deplacer",
    ),
    path("routage/etiquettes/", views_config.etiquettes, name="routage_etiquettes"),
    path("routage/etiquettes/nouvelle/", views_config.etiquette, name="routage_etiquette_creer"),
    path("routage/etiquettes/<int:pk>/", views_config.etiquette, name="routage_etiquette"),
    # The dossier page's panel (dossiers.instruire_dossiers)
    path("dossiers/<int:pk>/equipe/", views_dossier.equipe, name="dossier_equipe"),
    path("dossiers/<int:pk>/routage/", views_dossier.router, name="dossier_router"),
    path("dossiers/<int:pk>/etiquettes/", views_dossier.etiquettes, name="dossier_etiquettes"),
    path("dossiers/<int:pk>/suivre/", views_dossier.suivre, name="dossier_suivre"),
    path(
        "dossiers/<int:pk>/corbeille/",
        views_dossier.mettre_a_la_corbeille,
        name="dossier_mettre_a_la_corbeille",
    ),
    # The trash (dossiers.supprimer_dossiers); « Supprimer définitivement » is
    # crm:dossier_supprimer (crm/dossiers/urls.py)
    path("corbeille/", views_corbeille.corbeille, name="corbeille"),
    path(
        "corbeille/<int:pk>/restaurer/",
        views_corbeille.restaurer,
        name="dossier_restaurer",
    ),
    # Issue 9 — resume: the agent's followed dossiers and digest preference
    path("suivis/", views_suivis.mes_suivis, name="mes_suivis"),
    path(
        "suivis/<int:pk>/ne-plus-suivre/",
        views_suivis.ne_plus_suivre,
        name="mes_suivis_ne_plus_suivre",
    ),
]
