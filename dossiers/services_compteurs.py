"""Upkeep of the dashboard's counter of filed dossiers per day
(dossiers/models/compteurs.py). PostgreSQL's trigger appends a +1 / −1 row per change;
`compacter()` sums them back to one row per key, `recompter()` rebuilds it from the
dossiers (both called with the bannettes' by `instruction.services_compteurs`: the
Celery beat task and the command `recompter_compteurs`). Raw SQL only: migration 0020
fills the table with the same query."""

from django.db import connection

SQL_RECOMPTER = """
DELETE FROM dossiers_compteurdepots;
INSERT INTO dossiers_compteurdepots (dispositif_id, territoire_id, jour, nombre)
SELECT dispositif_id, territoire_id, (depose_le AT TIME ZONE 'UTC')::date, count(*)
  FROM dossiers_dossier
 WHERE statut <> 'brouillon' AND supprime_le IS NULL AND depose_le IS NOT NULL
 GROUP BY 1, 2, 3;
"""

# The rows the statement sees are summed into one per key; rows appended meanwhile by
# other transactions are not in its snapshot and stay, so nothing is lost or counted
# twice, and no writer waits.
SQL_COMPACTER = """
WITH lus AS (DELETE FROM dossiers_compteurdepots
             RETURNING dispositif_id, territoire_id, jour, nombre)
INSERT INTO dossiers_compteurdepots (dispositif_id, territoire_id, jour, nombre)
SELECT dispositif_id, territoire_id, jour, sum(nombre) FROM lus
 GROUP BY 1, 2, 3 HAVING sum(nombre) <> 0;
"""
TABLE = "dossiers_compteurdepots"


def compacter() -> None:
    """One row per key again (the sums unchanged). Inside the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(SQL_COMPACTER)


def recompter() -> None:
    """Rebuilt from the dossiers. The caller holds the table locked against the
    trigger's appends (`LOCK TABLE … IN EXCLUSIVE MODE`, in its transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(SQL_RECOMPTER)
