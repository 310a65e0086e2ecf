"""The `demo` fixture: a test that reads the demo commune gets it without loading it.

`load_demo` takes some twenty seconds; called by each demo test, it made most of the
suite's time. Each pytest process now loads it once, into a database cloned from its test
database (`CREATE DATABASE … TEMPLATE`), and a test asking for `demo` runs against that
database: inside a transaction rolled back at its end, as any `django_db` test; a
transactional test (browser journeys, on_commit tasks) gets a fresh clone of its own, since
its end flushes the database. The test database itself is never touched, so the other
tests see it empty as before.
"""

import io
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import connection

from tests.conftest import install_data_migrations
from tests.fast_flush import forget_skip, skip_flush


def _use_database(name: str) -> None:
    # Django's connections (this thread's and the live server's) read the same settings
    # dict: a closed connection reopens on the database named there.
    connection.close()
    connection.settings_dict["NAME"] = name
    # The content types' cache is the process's: its ids were read from the other
    # database, where a flush may have re-created them under other ids (a generated
    # document's FK to a content type then failed on the demo's).
    ContentType.objects.clear_cache()


def _clone(source: str, target: str) -> None:
    connection.close()
    with connection._nodb_cursor() as cursor:
        # A template must have no other session: a live server's or a worker's may linger.
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [source],
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        # FILE_COPY (PostgreSQL 15+) copies the files at once; the default WAL_LOG writes
        # every page through the journal, several times slower for a whole schema.
        strategy = " STRATEGY FILE_COPY" if connection.pg_version >= 150000 else ""
        cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"{strategy}')


def _drop(name: str) -> None:
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _demo_database(django_db_setup, django_db_blocker):
    """This process's test database with the demo loaded, made on first use; with what
    the load printed and the mails it sent (tests reset the outbox)."""
    sortie = io.StringIO()
    outbox = getattr(mail, "outbox", None)
    mail.outbox = []
    with django_db_blocker.unblock():
        base = connection.settings_dict["NAME"]
        name = f"{base}_demo"
        _clone(base, name)
        _use_database(name)
        try:
            # The test database is empty after a transactional test's flush: its data
            # migrations' rows first (they are there when nothing was flushed yet).
            install_data_migrations()
            call_command("load_demo", stdout=sortie)
        finally:
            _use_database(base)
    demo = SimpleNamespace(base=name, sortie=sortie.getvalue(), courriels=mail.outbox)
    mail.outbox = outbox if outbox is not None else []
    yield demo
    with django_db_blocker.unblock():
        _drop(name)


@pytest.fixture
def demo(request, _demo_database, django_db_blocker):
    """The demo commune as `make demo` shows it (`.sortie`: what the load printed,
    `.courriels`: the mails it sent). The test keeps its `django_db` mark;
    `pytest_collection_modifyitems` puts this fixture first, so that the mark's
    transaction opens on the demo database."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    base = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        name = _demo_database.base
        if transactional:
            name = f"{_demo_database.base}_tx"
            _clone(_demo_database.base, name)
            # Dropped at the end: the transactional test's flush would be wasted on it.
            skip_flush(name)
        _use_database(name)
    yield _demo_database
    with django_db_blocker.unblock():
        _use_database(base)
        if transactional:
            _drop(name)
            forget_skip(name)


def pytest_collection_modifyitems(items):
    # Autouse fixtures (pytest-django's django_db mark handler among them) come first in a
    # test's fixture list: put `demo` before them, so the database is switched before the
    # mark's transaction begins on it.
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names and "demo" in names:
            names.remove("demo")
            names.insert(0, "demo")
