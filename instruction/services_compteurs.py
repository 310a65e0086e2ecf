"""Upkeep of the dashboard's counters: the bannettes' (instruction/models_compteurs.py)
and the filed dossiers per day (dossiers/models/compteurs.py). PostgreSQL's triggers
append a +1 / −1 row per change; `compacter()` sums them back to one row per key (the
Celery beat task `instruction.compteurs_compacter`, every five minutes),
`recompter()` rebuilds them from the dossiers (the command `recompter_compteurs`: after
a load that bypassed the triggers, or to repair). Raw SQL: migration 0010 fills the
bannettes' table with the same query."""

from django.db import connection, transaction

from dossiers import services_compteurs as depots

SQL_RECOMPTER = """
DELETE FROM instruction_compteurbannette;
INSERT INTO instruction_compteurbannette (dispositif_id, territoire_id, statut_id, nombre)
SELECT d.dispositif_id, d.territoire_id, s.statut_id, count(*)
  FROM dossiers_dossier d
  LEFT JOIN instruction_suiviinstruction s ON s.dossier_id = d.id
 WHERE d.statut = 'depose' AND d.supprime_le IS NULL
 GROUP BY 1, 2, 3;
"""

# The rows the statement sees are summed into one per key; rows appended meanwhile by
# other transactions are not in its snapshot and stay: nothing lost nor counted twice,
# and no writer waits.
SQL_COMPACTER = """
WITH lus AS (DELETE FROM instruction_compteurbannette
             RETURNING dispositif_id, territoire_id, statut_id, nombre)
INSERT INTO instruction_compteurbannette (dispositif_id, territoire_id, statut_id, nombre)
SELECT dispositif_id, territoire_id, statut_id, sum(nombre) FROM lus
 GROUP BY 1, 2, 3 HAVING sum(nombre) <> 0;
"""


@transaction.atomic
def compacter() -> None:
    """One row per key again in both counters (the sums unchanged)."""
    with connection.cursor() as cursor:
        cursor.execute(SQL_COMPACTER)
    depots.compacter()


@transaction.atomic
def recompter() -> None:
    """Both counters rebuilt from the dossiers. The tables are locked against the
    triggers' appends meanwhile: a writer waits for the end, then appends its change on
    top of the recount, which its uncommitted row was not part of."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"LOCK TABLE instruction_compteurbannette, {depots.TABLES} IN EXCLUSIVE MODE"
        )
        cursor.execute(SQL_RECOMPTER)
    depots.recompter()
