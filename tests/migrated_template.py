"""Test databases cloned from a migrated template instead of migrated one by one.

Migrating an empty database took 36 to 40 s in every pytest process (each xdist worker,
each run). The first process that needs a schema now migrates a database named after a
fingerprint of the schema's sources, `test_guichet_tpl_<fingerprint>`, and every process
clones its own test database from it (`CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY`,
one or two seconds). The server keeps the template between runs, so later runs — and CI on
the same machine — skip the migrations until a migration file changes, which changes the
fingerprint (so does Django's version, the installed apps, the test database settings).

The fingerprint hashes every migration file of every installed app (the project's and the
libraries'), not the models: a model changed without its migration is caught by
`make migrations`, and `migrate` would not apply it either.

An advisory lock (server-wide: it is taken from the `postgres` database every process
connects to for this) makes the processes of a run, and concurrent runs, wait for the one
building the template; the template is built under another name and renamed once
migrated, so an interrupted build leaves no half-migrated template. Only the newest
templates are kept (`KEEP`).

Django's own creation runs instead with `--reuse-db`, when a test asks for
`serialized_rollback`, or with `GUICHET_TEST_TEMPLATE=0`.
"""

import hashlib
import importlib.metadata
import importlib.util
import os
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db.backends.postgresql.creation import DatabaseCreation
from django.db.migrations.loader import MigrationLoader

ENABLED = os.environ.get("GUICHET_TEST_TEMPLATE", "1") != "0"
PREFIX = "test_guichet_tpl_"
# Any constant shared by every checkout: pg_advisory_lock's key for "building a template".
LOCK_KEY = 4_772_010
# Templates kept on the server: the current one and the newest others (other branches).
KEEP = 4
# Libraries whose post_migrate handlers write to the database (pghistory's context
# function); their migrations are hashed with the others.
LIBRARIES = ("django-pghistory", "django-pgtrigger", "django-allauth", "django-celery-beat")

_django_create_test_db = DatabaseCreation.create_test_db


def schema_fingerprint(connection) -> str:
    digest = hashlib.sha256()
    test_settings = {k: v for k, v in connection.settings_dict["TEST"].items() if k != "NAME"}
    for part in (
        django.get_version(),
        [importlib.metadata.version(name) for name in LIBRARIES],
        settings.INSTALLED_APPS,
        getattr(settings, "MIGRATION_MODULES", {}),
        sorted(test_settings.items()),
    ):
        digest.update(repr(part).encode())
    for app_config in apps.get_app_configs():
        module_name, _ = MigrationLoader.migrations_module(app_config.label)
        spec = module_name and importlib.util.find_spec(module_name)
        if not spec or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            for path in sorted(Path(folder).rglob("*.py")):
                digest.update(f"{app_config.label}/{path.relative_to(folder)}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _build_template(creation, template: str, verbosity: int, cursor) -> None:
    """Migrate a new database with Django's own test database creation, named
    `<template>_build` while it is migrated, then renamed."""
    connection = creation.connection
    build = f"{template}_build"
    test_settings = connection.settings_dict["TEST"]
    name, test_name = connection.settings_dict["NAME"], test_settings.get("NAME")
    test_settings["NAME"] = build
    try:
        _django_create_test_db(creation, verbosity, autoclobber=True, serialize=False)
    finally:
        test_settings["NAME"] = test_name
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
    cursor.execute(f"ALTER DATABASE {_quote(build)} RENAME TO {_quote(template)}")


def _drop_old_templates(cursor, current: str) -> None:
    # Under the lock: no other process is building or cloning one of them now.
    cursor.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s ORDER BY oid DESC",
        [PREFIX.replace("_", r"\_") + "%", current],
    )
    names = [row[0] for row in cursor.fetchall()]
    builds = [name for name in names if name.endswith("_build")]
    templates = [name for name in names if name not in builds]
    for name in builds + templates[KEEP - 1 :]:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")


def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
    connection = self.connection
    if (
        not ENABLED
        or keepdb
        or serialize
        or connection.settings_dict["TEST"].get("MIGRATE") is False
    ):
        return _django_create_test_db(self, verbosity, autoclobber, serialize, keepdb)
    test_name = self._get_test_db_name()
    template = PREFIX + schema_fingerprint(connection)
    if verbosity >= 1:
        self.log(f"Cloning test database {test_name} from {template}...")
    with connection._nodb_cursor() as cursor:
        # Waiting for another process's migrations may outlast the statement timeout.
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            if not self._database_exists(cursor, template):
                _build_template(self, template, verbosity, cursor)
            _drop_old_templates(cursor, template)
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(test_name)} WITH (FORCE)")
            cursor.execute(
                f"CREATE DATABASE {_quote(test_name)} TEMPLATE {_quote(template)}"
                " STRATEGY FILE_COPY"
            )
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    # What Django's create_test_db does once its database is migrated.
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    return test_name


def pytest_configure(config):
    DatabaseCreation.create_test_db = create_test_db


def pytest_unconfigure(config):
    DatabaseCreation.create_test_db = _django_create_test_db
