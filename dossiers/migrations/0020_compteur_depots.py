"""The dashboard's counter of filed dossiers per day (dossiers/models/compteurs.py): its
table, the trigger that appends a +1 / −1 row on every change of a dossier that moves
it, and its first filling from the dossiers already there."""

import django.db.models.deletion
from django.db import migrations, models

# The counter's first filling (as dossiers.services_compteurs rebuilds it; written here,
# since that module's query grows with later counters).
SQL_RECOMPTER = """
INSERT INTO dossiers_compteurdepots (dispositif_id, territoire_id, jour, nombre)
SELECT dispositif_id, territoire_id, (depose_le AT TIME ZONE 'UTC')::date, count(*)
  FROM dossiers_dossier
 WHERE statut <> 'brouillon' AND supprime_le IS NULL AND depose_le IS NOT NULL
 GROUP BY 1, 2, 3
"""

DECLENCHEUR = [
    """
CREATE OR REPLACE FUNCTION dossiers_compteur_depots_maj() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  a boolean := false; n boolean := false;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    a := OLD.statut <> 'brouillon' AND OLD.supprime_le IS NULL AND OLD.depose_le IS NOT NULL;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    n := NEW.statut <> 'brouillon' AND NEW.supprime_le IS NULL AND NEW.depose_le IS NOT NULL;
  END IF;
  -- Nothing the count depends on moved (most updates): no row.
  IF TG_OP = 'UPDATE' AND a = n AND OLD.dispositif_id = NEW.dispositif_id
     AND OLD.territoire_id IS NOT DISTINCT FROM NEW.territoire_id
     AND (NOT n OR (OLD.depose_le AT TIME ZONE 'UTC')::date
                   = (NEW.depose_le AT TIME ZONE 'UTC')::date) THEN
    RETURN NULL;
  END IF;
  IF a THEN
    INSERT INTO dossiers_compteurdepots (dispositif_id, territoire_id, jour, nombre)
    VALUES (OLD.dispositif_id, OLD.territoire_id, (OLD.depose_le AT TIME ZONE 'UTC')::date, -1);
  END IF;
  IF n THEN
    INSERT INTO dossiers_compteurdepots (dispositif_id, territoire_id, jour, nombre)
    VALUES (NEW.dispositif_id, NEW.territoire_id, (NEW.depose_le AT TIME ZONE 'UTC')::date, 1);
  END IF;
  RETURN NULL;
END $$
""",
    """
CREATE TRIGGER dossiers_compteur_depots
AFTER INSERT OR DELETE OR UPDATE OF statut, supprime_le, dispositif_id, territoire_id, depose_le
ON dossiers_dossier FOR EACH ROW EXECUTE FUNCTION dossiers_compteur_depots_maj()
""",
]

RETIRER = [
    "DROP TRIGGER IF EXISTS dossiers_compteur_depots ON dossiers_dossier",
    "DROP FUNCTION IF EXISTS dossiers_compteur_depots_maj()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0019_journal_declencheurs_apres_fusion"),
    ]

    operations = [
        migrations.CreateModel(
            name="CompteurDepots",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("jour", models.DateField()),
                ("nombre", models.IntegerField(default=0)),
                (
                    "dispositif",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="dossiers.dispositif",
                    ),
                ),
                (
                    "territoire",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="dossiers.territoire",
                    ),
                ),
            ],
            options={
                "verbose_name": "compteur de dépôts par jour",
                "verbose_name_plural": "compteurs de dépôts par jour",
                "default_permissions": ("view",),
                "indexes": [
                    models.Index(fields=["jour", "dispositif"], name="compteur_depots_jour")
                ],
            },
        ),
        migrations.RunSQL(DECLENCHEUR, RETIRER),
        migrations.RunSQL(SQL_RECOMPTER, migrations.RunSQL.noop),
    ]
