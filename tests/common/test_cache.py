"""common.cache.RedisCache (production's sessions cache) on a real Redis: the same
commands as Django's, one client kept; and sessions ended through one process's cache are
gone for another's (each process has its own cache object, sharing Redis)."""

import os
import uuid
from importlib import import_module
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import override_settings

from common.cache import RedisCache


@pytest.fixture
def redis_url():
    if not settings.REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must run the Redis tests: .ci/run sets REDIS_URL")
        pytest.skip("needs REDIS_URL (set by .ci/run)")
    return settings.REDIS_URL


def _cache(url, prefix):
    return RedisCache(url, {"KEY_PREFIX": prefix})


def test_get_set_delete_with_one_client(redis_url):
    cache = _cache(redis_url, f"test-{uuid.uuid4().hex}")
    cache.set("cle", {"valeur": 1}, 30)
    assert cache.get("cle") == {"valeur": 1}
    assert "cle" in cache
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("cle")
    assert cache.get("cle") is None


@pytest.mark.django_db
def test_a_session_ended_by_one_process_is_gone_for_the_others(redis_url):
    prefix = f"test-{uuid.uuid4().hex}"
    backend = {"BACKEND": "common.cache.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": prefix}
    with override_settings(
        CACHES={"default": settings.CACHES["default"], "sessions": backend},
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        SESSION_CACHE_ALIAS="sessions",
    ):
        store = import_module(settings.SESSION_ENGINE).SessionStore
        session = store()
        session[SESSION_KEY] = "1"
        session.create()
        key = session.session_key
        assert store(key).load()[SESSION_KEY] == "1"  # read through the cache
        autre_processus = _cache(redis_url, prefix)  # another process's cache object
        assert autre_processus.get(store.cache_key_prefix + key) is not None

        store().delete(key)  # "end this session" (allauth's UserSession.end)

        assert autre_processus.get(store.cache_key_prefix + key) is None
        assert store(key).load() == {}


def test_a_connection_the_server_closed_is_replaced_before_the_next_command(redis_url):
    import redis

    cache = _cache(redis_url, f"test-{uuid.uuid4().hex}")
    cache.set("cle", "valeur", 30)
    client = cache._cache.get_client()
    avant = client.client_id()
    redis.Redis.from_url(redis_url).client_kill_filter(_id=avant)  # a restart, an idle timeout

    assert cache.get("cle") == "valeur"  # no ConnectionError: reconnected first
    assert cache._cache.get_client() is client
    assert client.client_id() != avant
    cache.delete("cle")


def test_a_forked_process_gets_its_own_connection(redis_url):
    cache = _cache(redis_url, f"test-{uuid.uuid4().hex}")
    parent = cache._cache.get_client()
    with mock.patch("common.cache.os.getpid", return_value=os.getpid() + 1):
        enfant = cache._cache.get_client()
        assert enfant is not parent
        assert enfant.connection is not parent.connection
        cache.set("cle", 1, 30)
        assert cache.get("cle") == 1
        cache.delete("cle")
