"""Mail and SMS templates, the event → template mapping and the outbox (issue 6),
under /crm/messages/ in the crm namespace."""

from django.urls import path

from crm.messagerie import views

urlpatterns = [
    path("", views.modeles, name="messagerie_modeles"),
    path("modeles/nouveau/", views.modele_creer, name="messagerie_modele_creer"),
    path("modeles/<int:pk>/", views.modele_modifier, name="messagerie_modele"),
    path("modeles/<int:pk>/test/", views.modele_test, name="messagerie_modele_test"),
    path("modeles/apercu/", views.apercu, name="messagerie_apercu"),
    path("correspondances/", views.correspondances, name="messagerie_correspondances"),
    path(
        "correspondances/<int:pk>/",
        views.correspondance_modifier,
        name="messagerie_correspondance",
    ),
    path("file/", views.file_envoi, name="messagerie_file"),
    path("file/<int:pk>/relancer/", views.relancer, name="messagerie_relancer"),
]
