"""Document templates (issue 6), included under /crm/documents/ in the crm namespace."""

from django.urls import path

from crm.editique import views

urlpatterns = [
    path("", views.liste, name="editique"),
    path("nouveau/", views.creer, name="editique_creer"),
    path("<int:pk>/", views.modifier, name="editique_modele"),
    path("<int:pk>/apercu/", views.apercu, name="editique_apercu"),
    path("<int:pk>/apercu.<str:format_>", views.apercu_fichier, name="editique_apercu_fichier"),
    path("<int:pk>/publier/", views.publier, name="editique_publier"),
    path("<int:pk>/produire/", views.produire, name="editique_produire"),
    path("produits/<int:pk>/", views.document, name="editique_document"),
]
