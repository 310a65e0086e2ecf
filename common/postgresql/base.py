"""Django's PostgreSQL backend, with a health check that makes no round trip.

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

tests/common/test_postgresql.py: a connection the server terminated is replaced at the
next request's first query; a healthy one is kept without a query.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
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
