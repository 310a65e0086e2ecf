"""Django's PostgreSQL backend, with a health check that makes no round trip, and
prepared statements for the few hand-written queries run on every request.

With `CONN_HEALTH_CHECKS` (production's DATABASE_URL, config/database.py), Django checks
a persistent connection before the first query of every request with a `SELECT 1`: a
round trip to PostgreSQL on every page that queries, which under load waits for the
database process to get a core (bench/README.md, issue 5: a signed-in page that does
nothing made two). What it guards against is a connection the server closed since the
last request (a restart, an idle timeout, `pg_terminate_backend`), whose first query
would fail (a 500) instead of the connection being replaced.

Such a connection is seen without asking the server: an idle connection receives
nothing, while a server closing one sends its last message (`FATAL: terminating
connection…`) and then the end of the stream — either makes its socket readable. So the
check is: psycopg has not seen it broken, it is not in an aborted or unknown transaction
state, and its socket has nothing to read (a `select` with no wait). Anything unexpected
closes the connection, as a failed `SELECT 1` does, and the request opens a new one.
(redis-py checks its pooled connections the same way.) After an error in a request
(`errors_occurred`), Django's own `is_usable` — the `SELECT 1` — still decides.

Prepared statements (`curseur_prepare`): the queries every signed-in page or wizard step
runs (the account by its key, `dossiers.selectors.demande_en_cours`) cost PostgreSQL more
CPU to parse and plan than to run — the wizard's, joining five tables, ~1.2–2 ms of the
server's CPU per run against ~0.3–0.6 ms prepared (bench/README.md). Their cursor binds
parameters on the server and prepares the statement on its first run on a connection
(persistent ones: `CONN_MAX_AGE`); PostgreSQL then plans it generically once. Django's
own cursors are unchanged (parameters bound on the client, nothing prepared).

tests/common/test_postgresql.py: a connection the server terminated is replaced at the
next request's first query; a healthy one is kept without a query; the prepared cursor
prepares once per connection and gives the same rows.
"""

import select

from django.db.backends.postgresql import base, operations
from psycopg import errors, pq

# psycopg's default. Only `CurseurPrepare` prepares: Django's cursors bind parameters on
# the client, which never prepares whatever the threshold.
SEUIL_PREPARATION = 5


class CurseurPrepare(base.ServerBindingCursor):
    """Parameters bound by the server, and the statement prepared on its first run on
    the connection: the next runs skip PostgreSQL's parsing and planning."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """A prepared statement as logged queries show others (the values in place),
        as Django does with server-side binding."""
        if isinstance(cursor, CurseurPrepare):
            try:
                return self.compose_sql(sql, params)
            except errors.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self):
        params = super().get_connection_params()
        # Django turns psycopg's prepared statements off unless OPTIONS sets
        # `prepare_threshold` (poolers in transaction mode lose them); set to None there,
        # `curseur_prepare` prepares nothing.
        if "prepare_threshold" not in self.settings_dict["OPTIONS"]:
            params["prepare_threshold"] = SEUIL_PREPARATION
        return params

    def close_if_health_check_failed(self):
        if self.pool:  # the pool only returns healthy connections
            return
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if not self.connexion_saine():
            self.close()
        self.health_check_done = True

    def connexion_saine(self) -> bool:
        """Whether the open connection is usable, without a round trip to the server."""
        connexion = self.connection
        if connexion.closed or connexion.broken:
            return False
        if connexion.info.transaction_status not in (
            pq.TransactionStatus.IDLE,
            pq.TransactionStatus.INTRANS,
        ):
            return False
        try:
            lisibles, _ecriture, _erreur = select.select([connexion.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not lisibles

    def curseur_prepare(self):
        """A cursor (Django's wrapper: health check, execute wrappers, queries logged)
        whose statements are prepared once per connection (`CurseurPrepare`)."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(CurseurPrepare(self.connection))


def curseur_prepare(connexion):
    """`connexion.curseur_prepare()`, or its ordinary cursor on another backend."""
    methode = getattr(connexion, "curseur_prepare", None)
    return methode() if methode is not None else connexion.cursor()
