import pytest
from django.contrib.auth.models import Permission

from tests.accounts.factories import UserFactory


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
