from django.urls import path

from crm import views

app_name = "crm"

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", views.AgentLoginView.as_view(), name="login"),
    path("deconnexion/", views.AgentLogoutView.as_view(), name="logout"),
]
