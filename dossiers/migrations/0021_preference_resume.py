import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0020_modele_resume_suivis"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PreferenceResume",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "frequence",
                    models.CharField(
                        choices=[
                            ("quotidien", "Chaque matin, un résumé de ce qui a changé la veille"),
                            (
                                "chaque_changement",
                                "À chaque changement, dans les cinq minutes qui suivent",
                            ),
                            ("jamais", "Jamais : je consulte mes dossiers suivis dans le CRM"),
                        ],
                        default="quotidien",
                        max_length=20,
                        verbose_name="résumé des dossiers suivis",
                    ),
                ),
                ("modifiee_le", models.DateTimeField(auto_now=True, verbose_name="modifiée le")),
                (
                    "agent",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="preference_resume",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="agent",
                    ),
                ),
            ],
            options={
                "verbose_name": "préférence de résumé",
                "verbose_name_plural": "préférences de résumé",
            },
        ),
    ]
