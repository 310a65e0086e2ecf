import pytest
from django.contrib.auth.models import Permission

from tests.accounts.factories import UserFactory


@pytest.fixture
def agent_habilite(db):
    """An agent allowed to see the restricted data of individus (G4)."""
    user = UserFactory(email="habilite@exemple.fr", agent=True)
    user.user_permissions.add(Permission.objects.get(codename="voir_donnees_restreintes"))
    return user


@pytest.fixture
def agent_fusion(db):
    """A plain agent (no superuser) allowed to merge individus and profils."""
    user = UserFactory(email="fusion@exemple.fr", agent=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["fusionner_individu", "fusionner_profil"])
    )
    return user
