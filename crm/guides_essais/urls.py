"""Guide tests (I9), included under /crm/guides/essais/ in the crm namespace."""

from django.urls import path

from crm.guides_essais import views

urlpatterns = [
    path("versions/<int:pk>/", views.liste, name="guide_essais"),
    path("versions/<int:pk>/nouveau/", views.creer, name="guide_essai_creer"),
    path("versions/<int:pk>/lancer/", views.lancer_tous, name="guide_essais_lancer"),
    path("versions/<int:pk>/simulation/", views.simulation, name="guide_simulation"),
    path("<int:pk>/", views.modifier, name="guide_essai"),
    path("<int:pk>/lancer/", views.lancer, name="guide_essai_lancer"),
    path("<int:pk>/supprimer/", views.supprimer, name="guide_essai_supprimer"),
    path("dossiers/<int:pk>/", views.dossier_simuler, name="dossier_simuler"),
]
