"""A cheaper end for transactional tests (browser journeys, on_commit tasks).

Django ends a `TransactionTestCase` with `flush`: a TRUNCATE of every table (hundreds of
them, each given new files whether it held a row or not), then the post_migrate signal,
which re-creates every content type and permission the TRUNCATE removed. That took 1.1 to
2.3 s per test. Here the same state is reached in a few tens of milliseconds:

- every table's rows are deleted in one transaction, with `session_replication_role =
  replica` so that neither the foreign keys' checks nor the history triggers (pghistory)
  fire — nothing is left that a key could point to, and a flush records no history either;
- `django_content_type` and `auth_permission` are kept when they hold exactly what
  post_migrate would write back (compared as sets, ids aside: those of a flush are new ones
  anyway), so post_migrate has nothing to do and is not sent; when a test changed them,
  Django's own flush runs, as before.

Django's flush still runs when this cannot apply: a test with `available_apps`,
`serialized_rollback` or another database, a role that may not set
`session_replication_role` (not a superuser), or `GUICHET_FAST_FLUSH=0`. A test that runs on
a database dropped right after it (`demo`'s clone for a transactional test) is not flushed
at all: `skip_flush(name)`.
"""

import os
from functools import cache

from django.apps import apps
from django.contrib.auth.management import _get_all_permissions
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.test import TransactionTestCase
from django.utils import translation

ENABLED = os.environ.get("GUICHET_FAST_FLUSH", "1") != "0"
_django_fixture_teardown = TransactionTestCase._fixture_teardown
# Databases about to be dropped: flushing them is wasted time.
_disposable: set[str] = set()
# Set once a DELETE under session_replication_role was refused: Django's flush from then on.
_refused = False


def skip_flush(database_name: str) -> None:
    _disposable.add(database_name)


def forget_skip(database_name: str) -> None:
    _disposable.discard(database_name)


@cache
def _post_migrate_rows() -> tuple[frozenset, frozenset]:
    """What post_migrate writes into an empty database (django.contrib.contenttypes'
    create_contenttypes and django.contrib.auth's create_permissions): one content type
    per model of each app, the model's own (a proxy's too) carrying its permissions."""
    content_types, permissions = set(), set()
    # Names as `migrate` writes them: untranslated (a custom permission's may be lazy).
    with translation.override(None):
        for app_config in apps.get_app_configs():
            if app_config.models_module is None:
                continue
            for model in app_config.get_models():
                key = (app_config.label, model._meta.model_name)
                content_types.add(key)
                permissions.update(
                    (*key, codename, str(name))
                    for codename, name in _get_all_permissions(model._meta)
                )
    return frozenset(content_types), frozenset(permissions)


def _holds_post_migrate_rows(alias: str) -> bool:
    expected_types, expected_permissions = _post_migrate_rows()
    types = ContentType.objects.using(alias).values_list("app_label", "model")
    if frozenset(types) != expected_types:
        return False
    permissions = list(
        Permission.objects.using(alias).values_list(
            "content_type__app_label", "content_type__model", "codename", "name"
        )
    )
    # A duplicate would hide in the set; the table's unique key forbids it, the count shows it.
    return len(permissions) == len(expected_permissions) and (
        frozenset(permissions) == expected_permissions
    )


def _applies(test_case) -> bool:
    return (
        ENABLED
        and not _refused
        and test_case.available_apps is None
        and not test_case.serialized_rollback
        and test_case._databases_names(include_mirrors=False) == [DEFAULT_DB_ALIAS]
        and connections[DEFAULT_DB_ALIAS].vendor == "postgresql"
    )


def _empty_every_table(connection) -> bool:
    """Delete every row of the database but post_migrate's when they are intact; False
    when post_migrate's were changed (nothing deleted: Django's flush must run)."""
    quote = connection.ops.quote_name
    kept = {ContentType._meta.db_table, Permission._meta.db_table}
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if not _holds_post_migrate_rows(connection.alias):
            return False
        # SET LOCAL: the setting ends with this transaction. One round trip for the lot.
        statements = ["SET LOCAL session_replication_role = replica"]
        statements += [
            f"DELETE FROM {quote(table)}"  # noqa: S608 — Django's own table names, quoted
            for table in sorted(tables)
            if table not in kept
        ]
        cursor.execute(";\n".join(statements))
    return True


def _fixture_teardown(self):
    global _refused
    if not _applies(self):
        return _django_fixture_teardown(self)
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.settings_dict["NAME"] in _disposable:
        return None
    try:
        emptied = _empty_every_table(connection)
    except DatabaseError as error:
        # Only a refused session_replication_role turns this off; anything else is a bug.
        if getattr(error.__cause__, "sqlstate", None) != "42501":  # insufficient_privilege
            raise
        _refused = True
        emptied = False
    if not emptied:
        _django_fixture_teardown(self)
    return None


def pytest_configure(config):
    TransactionTestCase._fixture_teardown = _fixture_teardown


def pytest_unconfigure(config):
    TransactionTestCase._fixture_teardown = _django_fixture_teardown
