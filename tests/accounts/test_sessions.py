"""Sessions read from their cache (cached_db, config/settings): what a signed-in page no
longer asks the database must still end when it should — a session ended from "Mon
compte", a deactivated account, a changed password — even when the session's copy sits
in the cache."""

import runpy
from importlib import import_module
from pathlib import Path

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("portal:account")
BASE_SETTINGS = Path(settings.BASE_DIR) / "config" / "settings" / "base.py"


def _log_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _cached(client) -> bool:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return store.cache_key_prefix + key in caches[settings.SESSION_CACHE_ALIAS]


def test_tests_run_the_production_session_engine():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


def test_a_signed_in_page_reads_its_session_from_the_cache(client, citizen):
    _log_in(client, citizen)
    assert _cached(client)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(ACCOUNT).status_code == 200
    # (Mon compte counts the open sessions in that table, but never loads one.)
    assert not [q for q in captured if '"django_session"."session_data"' in q["sql"]]


def test_a_session_ended_from_mon_compte_is_signed_out_though_cached(client, citizen):
    other = Client()
    _log_in(other, citizen)
    assert other.get(ACCOUNT).status_code == 200
    assert _cached(other)
    _log_in(client, citizen)

    response = client.post(reverse("usersessions_list"))  # "end the other sessions"

    assert response.status_code == 302
    assert not _cached(other)
    assert other.get(ACCOUNT).status_code == 302  # signed out
    assert client.get(ACCOUNT).status_code == 200  # this one goes on
    assert UserSession.objects.filter(user=citizen).count() == 1


def test_ending_a_session_deletes_its_row_and_its_copy(client, citizen):
    _log_in(client, citizen)
    session = UserSession.objects.get(user=citizen)

    session.end()

    assert not Session.objects.filter(session_key=session.session_key).exists()
    assert not _cached(client)
    assert client.get(ACCOUNT).status_code == 302


def test_signing_out_deletes_the_cached_copy(client, citizen):
    _log_in(client, citizen)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert store.cache_key_prefix + key not in caches[settings.SESSION_CACHE_ALIAS]
    assert not Session.objects.filter(session_key=key).exists()


def test_a_deactivated_account_loses_access_on_its_next_request(client, citizen):
    _log_in(client, citizen)
    assert client.get(ACCOUNT).status_code == 200

    User.objects.filter(pk=citizen.pk).update(is_active=False)  # no signal, no save()

    assert _cached(client)
    assert client.get(ACCOUNT).status_code == 302


def test_a_changed_password_signs_out_the_other_sessions(client, citizen):
    other = Client()
    _log_in(other, citizen)
    assert other.get(ACCOUNT).status_code == 200

    citizen.set_password("Un-autre-mot-de-passe-2026")
    citizen.save()

    assert other.get(ACCOUNT).status_code == 302


@pytest.mark.parametrize(
    ("redis_url", "engine"),
    [
        ("", "django.contrib.sessions.backends.db"),
        ("redis://127.0.0.1:6379/0", "django.contrib.sessions.backends.cached_db"),
    ],
)
def test_sessions_are_cached_only_on_a_cache_every_process_shares(monkeypatch, redis_url, engine):
    """A per-process cache would keep a session another process ended: without Redis
    the sessions are read from the database."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    base = runpy.run_path(str(BASE_SETTINGS))
    assert base["SESSION_ENGINE"] == engine
    assert base["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    if redis_url:
        sessions = base["CACHES"][base["SESSION_CACHE_ALIAS"]]
        assert sessions["BACKEND"] == "common.cache.RedisCache"
        assert sessions["LOCATION"] == redis_url
