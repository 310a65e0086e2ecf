"""Batches (issue 9, I6), included under /crm/lots/ in the crm namespace."""

from django.urls import path

from crm.lots import views

urlpatterns = [
    path("", views.mes_lots, name="lots"),
    path("nouveau/", views.nouveau, name="lot_nouveau"),
    path("<int:pk>/", views.lot, name="lot"),
    path("<int:pk>/interrompre/", views.interrompre, name="lot_interrompre"),
    path("<int:pk>/reprendre/", views.reprendre, name="lot_reprendre"),
]
