"""Search (C10) and map (C9), included at the root of the crm namespace."""

from django.urls import path

from crm.recherche import views, views_carte

urlpatterns = [
    path("recherche/", views.recherche, name="recherche"),
    path("recherche/avancee/", views.recherche_avancee, name="recherche_avancee"),
    path("carte/", views_carte.carte_page, name="carte"),
    path("carte/donnees/", views_carte.carte_donnees, name="carte_donnees"),
]
