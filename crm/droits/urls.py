"""Rights per dispositif (C7) and territories (C8), under /crm/droits/ (crm namespace)."""

from django.urls import path

from crm.droits import views

urlpatterns = [
    path("", views.matrice, name="droits"),
    path("export.csv", views.matrice_export, name="droits_export"),
    path("profils/", views.profils, name="droits_profils"),
    path("profils/nouveau/", views.profil, name="droits_profil_creer"),
    path("profils/<int:pk>/", views.profil, name="droits_profil"),
    path("territoires/", views.territoires, name="droits_territoires"),
    path("territoires/nouveau/", views.territoire, name="droits_territoire_creer"),
    path("territoires/<int:pk>/", views.territoire, name="droits_territoire"),
    path("territoires/sectoriser/", views.sectoriser, name="droits_sectoriser"),
]
