"""The followers' daily digest mail (C14) becomes a notifications template: the default
one is installed published and mapped to `dossier.suivi_resume`, so admins can adapt it
in CRM › Messages before the first digest leaves."""

from django.db import migrations


def installer(apps, schema_editor):
    from dossiers.evenements_suivis import modele_par_defaut_installer

    modele_par_defaut_installer(
        apps.get_model("notifications", "ModeleMessage"),
        apps.get_model("notifications", "Correspondance"),
    )


def retirer(apps, schema_editor):
    from dossiers.evenements_suivis import EVENEMENT, NOM

    apps.get_model("notifications", "ModeleMessage").objects.filter(
        nom=NOM, evenement=EVENEMENT
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0019_journal_declencheurs_apres_fusion"),
        ("notifications", "0002_cadence_globale_par_canal"),
    ]

    operations = [migrations.RunPython(installer, retirer)]
