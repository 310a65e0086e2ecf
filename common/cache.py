"""Django's Redis cache, with one client holding one connection per process instead of
a client per call borrowing from a pool.

Django's RedisCacheClient builds a new `redis.Redis` around its pool for every command;
with redis-py 8 that construction (its response callbacks registered one by one) cost
more CPU than the command itself — a third of reading a session on each signed-in page.
The client is kept, and holds its connection (redis-py's `single_connection_client`):
borrowing it from the pool and giving it back (a lock, a readiness poll and metrics
bookkeeping each way) was still ~50 µs of the ~140 µs of CPU a session read cost.

What the pool's borrowing checked is kept: before a command, a connection that has
something to read while idle — the server closed it (a restart, `CLIENT KILL`, an idle
timeout) — is dropped and the command opens a new one, instead of failing (redis-py
retries nothing by default). A client is made per process (a forked worker gets its own
connection) and serialises its commands (redis-py's lock); Django keeps a cache object
per thread. The same commands are sent.
"""

import os

import redis
from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        cle = (os.getpid(), self._get_connection_pool_index(write))
        client = self._clients.get(cle)
        if client is None:
            client = self._clients[cle] = self._client(
                connection_pool=self._get_connection_pool(write), single_connection_client=True
            )
        else:
            _verifier(client.connection)
        return client


def _verifier(connexion) -> None:
    """The pool's check on a connection it lends: one with data waiting (or a broken
    socket) is disconnected, and reconnects at its next command."""
    if connexion is None or connexion._sock is None:  # not connected: the command connects
        return
    try:
        pret = not connexion.can_read()
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        pret = False
    if not pret:
        connexion.disconnect()


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
