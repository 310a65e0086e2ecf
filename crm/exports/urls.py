"""Exports and flows (C12, C15), included in the crm namespace."""

from django.urls import path

from crm.exports import views

urlpatterns = [
    path("dossiers/exporter/", views.exporter, name="dossiers_exporter"),
    path("exports/", views.mes_exports, name="exports"),
    path("exports/<int:pk>/", views.export, name="export"),
    path("exports/<int:pk>/fichier/", views.fichier, name="export_fichier"),
    path("flux/<str:code>/dossiers.json", views.flux_dossiers, name="flux_dossiers"),
    path("flux/jetons/", views.jetons, name="flux_jetons"),
    path("flux/jetons/<int:pk>/revoquer/", views.jeton_revoquer, name="flux_jeton_revoquer"),
]
