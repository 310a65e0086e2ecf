"""Contacts GRC (C5), included under /crm/ in the crm namespace."""

from django.urls import path

from crm.contacts import views, views_dossier

urlpatterns = [
    path("contacts/", views.liste, name="contacts"),
    path("contacts/nouveau/", views.nouveau, name="contact_nouveau"),
    path("contacts/<int:pk>/", views.contact, name="contact"),
    path("contacts/<int:pk>/statut/", views.statut, name="contact_statut"),
    path("contacts/<int:pk>/deplacer/", views.deplacer, name="contact_deplacer"),
    path("contacts/<int:pk>/taches/", views.tache_ajouter, name="contact_tache_ajouter"),
    path("contacts/taches/<int:pk>/faite/", views.tache_terminer, name="tache_terminer"),
    path("contacts/mes-taches/", views.mes_taches, name="mes_taches"),
    # The dossier page's « Contacts » tab: its contacts and action plan
    path("dossiers/<int:pk>/contacts/", views_dossier.dossier_contacts, name="dossier_contacts"),
    path(
        "dossiers/<int:pk>/contacts/taches/",
        views_dossier.dossier_tache_ajouter,
        name="dossier_tache_ajouter",
    ),
]
