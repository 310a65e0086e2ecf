import pytest
from django.contrib.auth.models import Permission

from tests.accounts.factories import UserFactory
from tests.notifications import worker as w


@pytest.fixture
def gestionnaire(db):
    """A plain agent (no superuser) with notifications.gerer_modeles."""
    user = UserFactory(email="communication@exemple.fr", agent=True)
    user.user_permissions.add(Permission.objects.get(codename="gerer_modeles"))
    return user


@pytest.fixture
def client_gestionnaire(client, gestionnaire):
    client.force_login(gestionnaire)
    return client


@pytest.fixture
def boite_smtp(settings):
    """A real SMTP server (aiosmtpd) the mails go to; it counts each Message-ID."""
    boite = w.BoiteSmtp(lents=set())
    serveur = w.serveur_smtp(boite)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", serveur.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield boite
    serveur.stop()
