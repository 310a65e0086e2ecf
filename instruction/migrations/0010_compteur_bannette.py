"""The bannettes' counter (instruction/models_compteurs.py): its table, the triggers on
the dossier and the suivi that append a +1 / −1 row on every change that moves a
count, each reading the other table's row, and its first filling."""

import django.db.models.deletion
from django.db import migrations, models

from instruction.services_compteurs import SQL_RECOMPTER

DECLENCHEURS = [
    """
CREATE OR REPLACE FUNCTION instruction_bannette_dossier_maj() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  a boolean := false; n boolean := false; s bigint;
BEGIN
  IF TG_OP <> 'INSERT' THEN a := OLD.statut = 'depose' AND OLD.supprime_le IS NULL; END IF;
  IF TG_OP <> 'DELETE' THEN n := NEW.statut = 'depose' AND NEW.supprime_le IS NULL; END IF;
  IF NOT a AND NOT n THEN RETURN NULL; END IF;
  -- Nothing the count depends on moved (most updates): no row.
  IF TG_OP = 'UPDATE' AND a = n AND OLD.dispositif_id = NEW.dispositif_id
     AND OLD.territoire_id IS NOT DISTINCT FROM NEW.territoire_id THEN
    RETURN NULL;
  END IF;
  -- The dossier's statut in its guide, if any (a dossier deleted through Django has
  -- lost its suivi already: that trigger moved its count to « no statut »).
  SELECT statut_id INTO s FROM instruction_suiviinstruction
   WHERE dossier_id = CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
  IF a THEN
    INSERT INTO instruction_compteurbannette (dispositif_id, territoire_id, statut_id, nombre)
    VALUES (OLD.dispositif_id, OLD.territoire_id, s, -1);
  END IF;
  IF n THEN
    INSERT INTO instruction_compteurbannette (dispositif_id, territoire_id, statut_id, nombre)
    VALUES (NEW.dispositif_id, NEW.territoire_id, s, 1);
  END IF;
  RETURN NULL;
END $$
""",
    """
CREATE TRIGGER instruction_bannette_dossier
AFTER INSERT OR DELETE OR UPDATE OF statut, supprime_le, dispositif_id, territoire_id
ON dossiers_dossier FOR EACH ROW EXECUTE FUNCTION instruction_bannette_dossier_maj()
""",
    """
CREATE OR REPLACE FUNCTION instruction_bannette_suivi_maj() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  d record;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.dossier_id = NEW.dossier_id THEN
    IF OLD.statut_id IS NOT DISTINCT FROM NEW.statut_id THEN RETURN NULL; END IF;
    SELECT dispositif_id, territoire_id INTO d FROM dossiers_dossier
     WHERE id = NEW.dossier_id AND statut = 'depose' AND supprime_le IS NULL;
    IF FOUND THEN
      INSERT INTO instruction_compteurbannette (dispositif_id, territoire_id, statut_id, nombre)
      VALUES (d.dispositif_id, d.territoire_id, OLD.statut_id, -1),
             (d.dispositif_id, d.territoire_id, NEW.statut_id, 1);
    END IF;
    RETURN NULL;
  END IF;
  -- A suivi leaving a dossier: its count goes back to « no statut »…
  IF TG_OP <> 'INSERT' THEN
    SELECT dispositif_id, territoire_id INTO d FROM dossiers_dossier
     WHERE id = OLD.dossier_id AND statut = 'depose' AND supprime_le IS NULL;
    IF FOUND THEN
      INSERT INTO instruction_compteurbannette (dispositif_id, territoire_id, statut_id, nombre)
      VALUES (d.dispositif_id, d.territoire_id, OLD.statut_id, -1),
             (d.dispositif_id, d.territoire_id, NULL, 1);
    END IF;
  END IF;
  -- … and one arriving takes it from there.
  IF TG_OP <> 'DELETE' THEN
    SELECT dispositif_id, territoire_id INTO d FROM dossiers_dossier
     WHERE id = NEW.dossier_id AND statut = 'depose' AND supprime_le IS NULL;
    IF FOUND THEN
      INSERT INTO instruction_compteurbannette (dispositif_id, territoire_id, statut_id, nombre)
      VALUES (d.dispositif_id, d.territoire_id, NULL, -1),
             (d.dispositif_id, d.territoire_id, NEW.statut_id, 1);
    END IF;
  END IF;
  RETURN NULL;
END $$
""",
    """
CREATE TRIGGER instruction_bannette_suivi
AFTER INSERT OR DELETE OR UPDATE OF statut_id, dossier_id
ON instruction_suiviinstruction FOR EACH ROW EXECUTE FUNCTION instruction_bannette_suivi_maj()
""",
]

RETIRER = [
    "DROP TRIGGER IF EXISTS instruction_bannette_suivi ON instruction_suiviinstruction",
    "DROP FUNCTION IF EXISTS instruction_bannette_suivi_maj()",
    "DROP TRIGGER IF EXISTS instruction_bannette_dossier ON dossiers_dossier",
    "DROP FUNCTION IF EXISTS instruction_bannette_dossier_maj()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0020_compteur_depots"),
        ("instruction", "0009_merge_lots"),
    ]

    operations = [
        migrations.CreateModel(
            name="CompteurBannette",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
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
                    "statut",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="instruction.statut",
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
                "verbose_name": "compteur de bannette",
                "verbose_name_plural": "compteurs de bannettes",
                "default_permissions": ("view",),
                "indexes": [
                    models.Index(
                        fields=["dispositif", "territoire"], name="compteur_bannette_cle"
                    )
                ],
            },
        ),
        migrations.RunSQL(DECLENCHEURS, RETIRER),
        migrations.RunSQL(SQL_RECOMPTER, migrations.RunSQL.noop),
    ]
