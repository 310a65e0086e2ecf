"""The agent's dossier pages (F8, C3), included under /crm/dossiers/ in the crm namespace.
Other slices add their tabs' paths (justificatifs, messages…) in crm/urls.py."""

from django.urls import path

from crm.dossiers import views, views_creation, views_donnees, views_liste
from crm.routage import views_corbeille

urlpatterns = [
    path("", views_liste.liste_dossiers, name="dossiers"),
    # « Nouveau dossier » (C4): demandeur, dispositif, form
    path("nouveau/", views_creation.demandeur, name="dossier_nouveau"),
    path("nouveau/dispositif/", views_creation.dispositif, name="dossier_nouveau_dispositif"),
    path(
        "nouveau/<int:dispositif_pk>/",
        views_creation.formulaire,
        name="dossier_nouveau_formulaire",
    ),
    path("<int:pk>/", views.synthese, name="dossier"),
    path("<int:pk>/donnees/", views.donnees, name="dossier_donnees"),
    path(
        "<int:pk>/donnees/<int:onglet_pk>/modifier/",
        views_donnees.modifier,
        name="dossier_donnees_modifier",
    ),
    path("<int:pk>/documents/", views.documents, name="dossier_documents"),
    path("<int:pk>/documents/<int:document_pk>/", views.document, name="dossier_document"),
    path("<int:pk>/historique/", views.historique, name="dossier_historique"),
    path("<int:pk>/attribuer/", views.attribuer, name="dossier_attribuer"),
    path("<int:pk>/classer/", views.classer, name="dossier_classer"),
    path("<int:pk>/marquer/", views.marquer, name="dossier_marquer"),
    path("<int:pk>/parent/", views.parent, name="dossier_parent"),
    path("<int:pk>/doublon/", views.doublon, name="dossier_doublon"),
    path("<int:pk>/corriger/", views.corriger, name="dossier_corriger"),
    # Deleting for good: a dossier in the trash only (C14, crm/routage)
    path("<int:pk>/supprimer/", views_corbeille.supprimer, name="dossier_supprimer"),
    path("<int:pk>/export.pdf", views.pdf, name="dossier_pdf"),
]
