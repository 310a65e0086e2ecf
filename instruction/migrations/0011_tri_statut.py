"""Existing dossiers: the guide's statut copied onto the dossier's row
(Dossier.tri_statut, kept by instruction.services._cles_de_tri), for the CRM list's
« Statut » and « Étape » filters. One UPDATE; no time limit for it (a database of
1,000,000 dossiers takes minutes)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0025_liste_statut"),
        ("instruction", "0010_compteur_bannette"),
    ]

    operations = [
        migrations.RunSQL(
            """
            SET LOCAL statement_timeout = 0;
            UPDATE dossiers_dossier d
               SET tri_statut = s.statut_id
              FROM instruction_suiviinstruction s
             WHERE s.dossier_id = d.id AND d.tri_statut IS DISTINCT FROM s.statut_id;
            """,
            migrations.RunSQL.noop,
        ),
    ]
