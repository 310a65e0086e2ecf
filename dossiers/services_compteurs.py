"""Upkeep of the dashboard's counter of filed dossiers per day and of the map's cells
(dossiers/models/compteurs.py). PostgreSQL's trigger appends a +1 / −1 row per change;
`compacter()` sums them back to one row per key, `recompter()` rebuilds it from the
dossiers (both called with the bannettes' by `instruction.services_compteurs`: the
Celery beat task and the command `recompter_compteurs`). Raw SQL only: migration 0020
fills the table with the same query."""

from django.db import connection

# 0.01373291015625: the map's cell step (dossiers.models.compteurs.PAS_CARTE), exact in
# binary.
SQL_RECOMPTER = """
DELETE FROM dossiers_compteurdepots;
DELETE FROM dossiers_compteurcarte;
INSERT INTO dossiers_compteurdepots (dispositif_id, territoire_id, jour, nombre)
SELECT dispositif_id, territoire_id, (depose_le AT TIME ZONE 'UTC')::date, count(*)
  FROM dossiers_dossier
 WHERE statut <> 'brouillon' AND supprime_le IS NULL AND depose_le IS NOT NULL
 GROUP BY 1, 2, 3;
INSERT INTO dossiers_compteurcarte (dispositif_id, territoire_id, cx, cy, nombre, somme_lat,
                                    somme_lon)
SELECT dispositif_id, territoire_id, floor(longitude / 0.01373291015625)::int,
       floor(latitude / 0.01373291015625)::int, count(*), sum(latitude), sum(longitude)
  FROM dossiers_dossier
 WHERE statut <> 'brouillon' AND supprime_le IS NULL
   AND latitude IS NOT NULL AND longitude IS NOT NULL
 GROUP BY 1, 2, 3, 4;
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
WITH lus AS (DELETE FROM dossiers_compteurcarte
             RETURNING dispositif_id, territoire_id, cx, cy, nombre, somme_lat, somme_lon)
INSERT INTO dossiers_compteurcarte (dispositif_id, territoire_id, cx, cy, nombre, somme_lat,
                                    somme_lon)
SELECT dispositif_id, territoire_id, cx, cy, sum(nombre), sum(somme_lat), sum(somme_lon)
  FROM lus GROUP BY 1, 2, 3, 4 HAVING sum(nombre) <> 0;
"""
TABLES = "dossiers_compteurdepots, dossiers_compteurcarte"


def compacter() -> None:
    """One row per key again (the sums unchanged). Inside the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(SQL_COMPACTER)


def recompter() -> None:
    """Rebuilt from the dossiers. The caller holds the table locked against the
    trigger's appends (`LOCK TABLE … IN EXCLUSIVE MODE`, in its transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(SQL_RECOMPTER)
