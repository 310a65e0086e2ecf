# Issue 9 — tableau: a profil métier's default dashboard (C1).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0019_journal_declencheurs_apres_fusion"),
    ]

    operations = [
        migrations.AddField(
            model_name="profilmetier",
            name="tableau_de_bord",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text=(
                    "Les blocs du tableau de bord proposés aux agents de ce profil, dans "
                    "l’ordre, tant qu’ils n’ont pas composé le leur."
                ),
                verbose_name="tableau de bord par défaut",
            ),
        ),
    ]
