"""common.postgresql: the health check before a request's first query makes no round
trip, and still replaces a connection the server closed."""

import select
import time

import pytest
from django.db import OperationalError, connection, connections

from common.postgresql.base import curseur_prepare

pytestmark = pytest.mark.django_db


@pytest.fixture
def autre():
    """A second connection to the test database, with health checks (as production's),
    outside the test's transaction."""
    wrapper = connections.create_connection("default")
    wrapper.health_check_enabled = True
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def _requete_suivante(wrapper):
    """What Django does at the start and end of a request (close_old_connections)."""
    wrapper.close_if_unusable_or_obsolete()


def _pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_backend_is_used():
    assert type(connections["default"]).__module__ == "common.postgresql.base"
    assert connections["default"].vendor == "postgresql"


def test_a_healthy_connection_is_kept_without_a_query(autre, monkeypatch):
    pid = _pid(autre)
    _requete_suivante(autre)

    def sans_requete():
        raise AssertionError("the health check queried the server")

    monkeypatch.setattr(autre, "is_usable", sans_requete)
    autre.close_if_health_check_failed()

    assert autre.health_check_done
    monkeypatch.undo()
    assert _pid(autre) == pid  # the same connection


def _terminer(wrapper) -> int:
    """The server ends the connection (as a restart or an idle timeout would)."""
    pid = _pid(wrapper)
    _requete_suivante(wrapper)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True
    # The server's last message and the end of the stream reach the socket.
    fin = time.monotonic() + 10
    while not select.select([wrapper.connection.fileno()], [], [], 0.05)[0]:
        assert time.monotonic() < fin, "the terminated connection never became readable"
    return pid


def test_without_a_health_check_the_first_query_fails(autre):
    """What the check guards against (so the next test shows it does)."""
    autre.health_check_enabled = False
    _terminer(autre)
    with pytest.raises(OperationalError):
        _pid(autre)


def test_a_connection_the_server_terminated_is_replaced(autre):
    pid = _terminer(autre)
    assert not autre.connexion_saine()

    nouveau = _pid(autre)  # the request's first query: replaced, no error

    assert nouveau != pid


def test_an_aborted_transaction_is_not_healthy(autre):
    autre.connection.autocommit = False
    with autre.connection.cursor() as cursor, pytest.raises(Exception, match="division by zero"):
        cursor.execute("SELECT 1 / 0")
    assert not autre.connexion_saine()
    autre.connection.rollback()
    assert autre.connexion_saine()
    autre.connection.autocommit = True


def _prepares(wrapper) -> list[str]:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [ligne[0] for ligne in cursor.fetchall()]


def test_the_prepared_cursor_prepares_once_and_gives_the_same_rows(autre):
    sql = "SELECT %s::int + 1, %s::text"
    with autre.cursor() as cursor:
        cursor.execute(sql, [41, "a"])
        attendu = cursor.fetchall()
    assert _prepares(autre) == []  # Django's own cursors prepare nothing
    for _ in range(3):
        with curseur_prepare(autre) as cursor:
            cursor.execute(sql, [41, "a"])
            assert cursor.fetchall() == attendu

    assert _prepares(autre) == ["SELECT $1::int + 1, $2::text"]


def test_prepared_statements_can_be_turned_off():
    """Behind a pooler that loses them: OPTIONS' prepare_threshold set to None."""
    wrapper = connections.create_connection("default")
    wrapper.settings_dict = {
        **wrapper.settings_dict,
        "OPTIONS": {**wrapper.settings_dict["OPTIONS"], "prepare_threshold": None},
    }
    try:
        with curseur_prepare(wrapper) as cursor:
            cursor.execute("SELECT %s::int", [1])
            assert cursor.fetchall() == [(1,)]
        assert _prepares(wrapper) == []
    finally:
        wrapper.close()


def test_the_account_and_the_wizard_queries_are_prepared(django_user_model):
    """The two queries every signed-in page and wizard step run."""
    from dossiers import selectors

    user = django_user_model.objects.create_user("prepare@example.org")
    assert django_user_model.objects.get(pk=user.pk) == user
    selectors.demande_en_cours("absent", {})
    prepares = _prepares(connections["default"])
    assert any(s.startswith('SELECT "id", "password"') for s in prepares), prepares
    assert any("FROM unnest(" in s for s in prepares), prepares
