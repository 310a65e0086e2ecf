"""Sends every query to the database of the size being measured, so the two sizes can
be measured interleaved, query by query, and share whatever load the machine has."""

from contextlib import contextmanager
from contextvars import ContextVar

_alias: ContextVar[str] = ContextVar("bench_alias", default="default")


@contextmanager
def using(alias: str):
    token = _alias.set(alias)
    try:
        yield
    finally:
        _alias.reset(token)


class BenchRouter:
    def db_for_read(self, model, **hints):
        return _alias.get()

    def db_for_write(self, model, **hints):
        return _alias.get()

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return True
