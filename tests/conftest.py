import importlib
import os
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import connection

from tests.accounts.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made
# from the same thread (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLES = ["anonymous", "citizen", "other_citizen", "agent", "concepteur", "instructeur", "admin"]


@pytest.fixture(autouse=True)
def _configuration_from_data_migrations(request):
    """A transactional test (the browser journeys) starts from a database that the previous
    one flushed: put back what the data migrations install (profile types, natures, member
    roles), which sign-up, profils and the CRM need. Idempotent; later issues add theirs."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    install_data_migrations()


def install_data_migrations():
    """What the data migrations install, put back (idempotent): also before the demo is
    loaded into a clone of a test database that a transactional test flushed."""
    # The data migration's own function, with the one thing it reads of a schema editor.
    schema_editor = SimpleNamespace(connection=connection)
    importlib.import_module("usagers.migrations.0002_types_et_roles").create(apps, schema_editor)
    importlib.import_module("usagers.migrations.0006_type_profil_public").fill_publics(
        apps, schema_editor
    )
    # Issue 9 — resume: the followers' digest template dossiers' data migration ships.
    importlib.import_module("dossiers.migrations.0020_modele_resume_suivis").installer(
        apps, schema_editor
    )


def make_user(role: str):
    """The user of one role of the access matrix (None for anonymous), as its fixture
    gives it; tests/test_access_matrix.py makes them once per module with this."""
    if role == "anonymous":
        return None
    if role == "citizen":
        return UserFactory(email="usager@exemple.fr")
    if role == "other_citizen":
        return UserFactory(email="voisin@exemple.fr")
    if role == "agent":
        return UserFactory(email="agent@exemple.fr", agent=True)
    if role == "concepteur":
        user = UserFactory(email="concepteur@exemple.fr", agent=True)
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["concevoir_formulaires", "concevoir_modeles"])
        )
        return user
    if role == "instructeur":
        from tests.dossiers.factories import donner_droits

        user = UserFactory(email="instructeur@exemple.fr", agent=True)
        donner_droits(user)
        return user
    if role == "admin":
        return UserFactory(email="admin@exemple.fr", admin=True)
    raise ValueError(role)


@pytest.fixture
def citizen(db):
    return make_user("citizen")


@pytest.fixture
def other_citizen(db):
    return make_user("other_citizen")


@pytest.fixture
def agent(db):
    return make_user("agent")


@pytest.fixture
def concepteur(db):
    """An agent allowed to use the CRM form builder (dossiers.concevoir_formulaires) and
    the document templates (editique.concevoir_modeles)."""
    return make_user("concepteur")


@pytest.fixture
def instructeur(db):
    """An agent who instructs dossiers (dossiers.instruire_dossiers): the CRM dossier
    pages, through dossiers_visible_to; a profil métier gives them every right on every
    dispositif (C7), and no territoire restricts them (C8)."""
    return make_user("instructeur")


@pytest.fixture
def admin_user(db):
    return make_user("admin")


@pytest.fixture
def users(citizen, other_citizen, agent, concepteur, instructeur, admin_user):
    """One user per role of the access matrix (anonymous has none)."""
    return {
        "anonymous": None,
        "citizen": citizen,
        "other_citizen": other_citizen,
        "agent": agent,
        "concepteur": concepteur,
        "instructeur": instructeur,
        "admin": admin_user,
    }


@pytest.fixture
def client_as(client, users):
    """`client_as("agent")` → the test client logged in with that role."""

    def login(role):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return login


pytest_plugins = [
    "tests.browser",
    # Issue 10 — vite: test databases cloned from a migrated template, and a flush of
    # transactional tests that deletes rows instead of truncating and re-creating (before
    # demo_database, which imports it).
    "tests.migrated_template",
    "tests.fast_flush",
    "tests.demo_database",
]


def pytest_collection_modifyitems(items):
    # `make test` spreads the suite over the cores (pytest-xdist, --dist loadgroup). The
    # tests that start real Celery workers share one Redis queue: one process runs them
    # all, one after the other.
    for item in items:
        if item.get_closest_marker("worker"):
            item.add_marker(pytest.mark.xdist_group("redis-workers"))
