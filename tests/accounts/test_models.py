import pytest
from django.contrib.auth import authenticate

from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_stored_lower_case():
    user = User.objects.create_user("Camille.Martin@Exemple.FR", "Mot-de-passe-solide-2026")
    assert user.email == "camille.martin@exemple.fr"
    assert authenticate(username="CAMILLE.martin@exemple.fr", password="Mot-de-passe-solide-2026")


def test_new_users_are_citizens():
    user = User.objects.create_user("u@exemple.fr", "Mot-de-passe-solide-2026")
    assert not user.is_agent and not user.is_staff and not user.is_superuser
    assert not user.can_use_crm


def test_superuser_command_makes_an_agent_administrator():
    user = User.objects.create_superuser("root@exemple.fr", "Mot-de-passe-solide-2026")
    assert user.is_agent and user.is_staff and user.is_superuser
    assert user.can_use_crm


def test_inactive_agent_cannot_use_the_crm():
    user = User(email="a@exemple.fr", is_agent=True, is_active=False)
    assert not user.can_use_crm


def test_display_name():
    assert str(User(email="a@exemple.fr", first_name="Ada", last_name="Lovelace")) == "Ada Lovelace"
    assert str(User(email="a@exemple.fr")) == "a@exemple.fr"


def test_get_by_pk_gives_the_orms_object(db):
    """The hand-written `get(pk=…)` that authentication runs on every signed-in request
    (accounts.models.UserManager.get)."""
    user = UserFactory(first_name="Camille", is_agent=True)
    trouve = User.objects.get(pk=user.pk)
    attendu = User.objects.filter(pk=user.pk).get()  # the ORM's path
    assert type(trouve) is User and trouve._state.db == "default" and not trouve._state.adding
    for field in User._meta.concrete_fields:
        assert getattr(trouve, field.attname) == getattr(attendu, field.attname), field
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=user.pk + 1000)
    assert User.objects.get(pk=str(user.pk)) == user  # other lookups: the ORM's get
    assert User.objects.get(email=user.email) == user
