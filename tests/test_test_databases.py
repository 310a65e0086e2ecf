"""The test databases' machinery: the template clone is fully migrated, and the fast flush
of transactional tests leaves what Django's flush left (tests/fast_flush.py)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import fast_flush, migrated_template
from tests.accounts.factories import UserFactory
from tests.usagers.factories import IndividuFactory


def _post_migrate_tables() -> tuple[frozenset, frozenset]:
    types = frozenset(ContentType.objects.values_list("app_label", "model"))
    permissions = frozenset(
        Permission.objects.values_list(
            "content_type__app_label", "content_type__model", "codename", "name"
        )
    )
    return types, permissions


def _tables_with_rows() -> list[str]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608
                for table in tables
            ),
            tables,
        )
        return sorted(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_the_cloned_test_database_has_every_migration_applied():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    if migrated_template.ENABLED:
        template = migrated_template.PREFIX + migrated_template.schema_fingerprint(connection)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            assert cursor.fetchone() is not None


@pytest.mark.django_db(transaction=True)
def test_post_migrate_writes_what_the_fast_flush_keeps():
    call_command("flush", verbosity=0, interactive=False)  # Django's, post_migrate included

    assert _post_migrate_tables() == fast_flush._post_migrate_rows()


@pytest.mark.django_db(transaction=True)
def test_the_fast_flush_empties_every_table_but_post_migrate_ones():
    user = UserFactory()
    group = Group.objects.create(name="Groupe")
    group.permissions.add(Permission.objects.get(codename="view_group"))
    user.groups.add(group)
    IndividuFactory()  # history-tracked (pghistory): its row and its insert event
    assert "usagers_individu" in _tables_with_rows()

    assert fast_flush._empty_every_table(connection)

    assert _tables_with_rows() == sorted([ContentType._meta.db_table, Permission._meta.db_table])
    assert _post_migrate_tables() == fast_flush._post_migrate_rows()


@pytest.mark.django_db(transaction=True)
def test_changed_permissions_are_left_to_django_flush():
    Permission.objects.filter(codename="view_group").update(name="Voir les groupes")
    UserFactory()

    assert not fast_flush._empty_every_table(connection)
    # Nothing deleted: Django's flush runs instead (and puts the permission back).
    assert "accounts_user" in _tables_with_rows()
