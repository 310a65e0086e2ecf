"""django-allauth's account views under French paths (URLs shown to users are French).

The URL names are allauth's own, so its views and emails reverse them unchanged: the
account views, the open sessions (allauth.usersessions) and the two-factor
authentication (allauth.mfa, the names of allauth/mfa/urls.py for MFA_SUPPORTED_TYPES).
"""

from allauth.account import views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_codes_views
from allauth.mfa.totp import views as totp_views
from allauth.usersessions import views as usersessions_views
from django.urls import path, re_path

urlpatterns = [
    path("connexion/", views.login, name="account_login"),
    path("deconnexion/", views.logout, name="account_logout"),
    path("inactif/", views.account_inactive, name="account_inactive"),
    path("inscription/", views.signup, name="account_signup"),
    path("reauthentification/", views.reauthenticate, name="account_reauthenticate"),
    path("adresses-electroniques/", views.email, name="account_email"),
    path(
        "confirmation-envoyee/",
        views.email_verification_sent,
        name="account_email_verification_sent",
    ),
    re_path(
        r"^confirmer-adresse/(?P<key>[-:\w]+)/$",
        views.confirm_email,
        name="account_confirm_email",
    ),
    path("mot-de-passe/modifier/", views.password_change, name="account_change_password"),
    path("mot-de-passe/definir/", views.password_set, name="account_set_password"),
    path(
        "mot-de-passe/reinitialiser/",
        views.password_reset,
        name="account_reset_password",
    ),
    path(
        "mot-de-passe/reinitialiser/envoye/",
        views.password_reset_done,
        name="account_reset_password_done",
    ),
    re_path(
        r"^mot-de-passe/reinitialiser/cle/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "mot-de-passe/reinitialiser/termine/",
        views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    path(
        "connexion/code/confirmer/",
        views.confirm_login_code,
        name="account_confirm_login_code",
    ),
    # Open sessions: the citizen ends those they do not recognise.
    path("sessions/", usersessions_views.list_usersessions, name="usersessions_list"),
    # Two-factor authentication (optional for citizens).
    path("double-authentification/", mfa_views.index, name="mfa_index"),
    path(
        "double-authentification/verification/",
        mfa_views.authenticate,
        name="mfa_authenticate",
    ),
    path(
        "double-authentification/reauthentification/",
        mfa_views.reauthenticate,
        name="mfa_reauthenticate",
    ),
    path(
        "double-authentification/application/activer/",
        totp_views.activate_totp,
        name="mfa_activate_totp",
    ),
    path(
        "double-authentification/application/desactiver/",
        totp_views.deactivate_totp,
        name="mfa_deactivate_totp",
    ),
    path(
        "double-authentification/codes-de-secours/",
        recovery_codes_views.view_recovery_codes,
        name="mfa_view_recovery_codes",
    ),
    path(
        "double-authentification/codes-de-secours/generer/",
        recovery_codes_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "double-authentification/codes-de-secours/telecharger/",
        recovery_codes_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
]
