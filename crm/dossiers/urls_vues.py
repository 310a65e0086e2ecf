"""Saved views of the CRM dossier list (C15), under /crm/dossiers/vues/ in the crm
namespace; a view opens on the list itself (/crm/dossiers/?vue=<pk>)."""

from django.urls import path

from crm.dossiers import views_liste

urlpatterns = [
    path("enregistrer/", views_liste.vue_enregistrer, name="dossiers_vue_enregistrer"),
    path("<int:pk>/modifier/", views_liste.vue_modifier, name="dossiers_vue_modifier"),
    path("<int:pk>/supprimer/", views_liste.vue_supprimer, name="dossiers_vue_supprimer"),
]
