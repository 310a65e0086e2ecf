"""The builder's URLs (issue 5), included under /crm/formulaires/ in the crm namespace."""

from django.urls import path

from crm.formulaires import (
    views_champs,
    views_constructeur,
    views_dispositifs,
    views_grille,
    views_referentiel,
)

urlpatterns = [
    path("", views_dispositifs.liste, name="formulaires"),
    path("nouveau/", views_dispositifs.dispositif_creer, name="formulaire_dispositif_creer"),
    path("<int:pk>/", views_dispositifs.dispositif_modifier, name="formulaire_dispositif"),
    path("<int:pk>/constructeur/", views_constructeur.constructeur, name="formulaire_constructeur"),
    path("<int:pk>/apercu/<str:vue>/", views_dispositifs.apercu, name="formulaire_apercu"),
    path("<int:pk>/importer/", views_dispositifs.importer, name="formulaire_importer"),
    path("<int:pk>/publier/", views_constructeur.publier, name="formulaire_publier"),
    path("<int:pk>/vues/copier/", views_constructeur.vue_copier, name="formulaire_vue_copier"),
    path(
        "<int:pk>/onglets/ajouter/",
        views_constructeur.onglet_ajouter,
        name="formulaire_onglet_ajouter",
    ),
    path("versions/<int:pk>/exporter/", views_dispositifs.exporter, name="formulaire_exporter"),
    path("versions/<int:pk>/proprietes/", views_grille.proprietes, name="formulaire_proprietes"),
    path(
        "onglets/<int:pk>/modifier/",
        views_constructeur.onglet_modifier,
        name="formulaire_onglet_modifier",
    ),
    path(
        "onglets/<int:pk>/deplacer/",
        views_constructeur.onglet_deplacer,
        name="formulaire_onglet_deplacer",
    ),
    path(
        "onglets/<int:pk>/supprimer/",
        views_constructeur.onglet_supprimer,
        name="formulaire_onglet_supprimer",
    ),
    path(
        "onglets/<int:pk>/lignes/ajouter/",
        views_constructeur.ligne_ajouter,
        name="formulaire_ligne_ajouter",
    ),
    path(
        "lignes/<int:pk>/modifier/",
        views_constructeur.ligne_modifier,
        name="formulaire_ligne_modifier",
    ),
    path(
        "lignes/<int:pk>/deplacer/",
        views_constructeur.ligne_deplacer,
        name="formulaire_ligne_deplacer",
    ),
    path(
        "lignes/<int:pk>/supprimer/",
        views_constructeur.ligne_supprimer,
        name="formulaire_ligne_supprimer",
    ),
    path(
        "lignes/<int:pk>/champs/ajouter/",
        views_constructeur.champ_ajouter,
        name="formulaire_champ_ajouter",
    ),
    path(
        "lignes/<int:pk>/referentiel/",
        views_champs.referentiel_choisir,
        name="formulaire_referentiel_choisir",
    ),
    path("champs/<int:pk>/", views_champs.champ, name="formulaire_champ"),
    path(
        "champs/<int:pk>/proprietes/",
        views_champs.champ_proprietes,
        name="formulaire_champ_proprietes",
    ),
    path(
        "champs/<int:pk>/deplacer/",
        views_constructeur.champ_deplacer,
        name="formulaire_champ_deplacer",
    ),
    path(
        "champs/<int:pk>/supprimer/",
        views_constructeur.champ_supprimer,
        name="formulaire_champ_supprimer",
    ),
    path("referentiel/", views_referentiel.referentiel, name="formulaire_referentiel"),
    path(
        "referentiel/champs/nouveau/",
        views_referentiel.referentiel_champ,
        name="formulaire_referentiel_champ_creer",
    ),
    path(
        "referentiel/champs/<int:pk>/",
        views_referentiel.referentiel_champ,
        name="formulaire_referentiel_champ",
    ),
    path(
        "referentiel/listes/nouvelle/",
        views_referentiel.referentiel_liste,
        name="formulaire_referentiel_liste_creer",
    ),
    path(
        "referentiel/listes/<int:pk>/",
        views_referentiel.referentiel_liste,
        name="formulaire_referentiel_liste",
    ),
]
