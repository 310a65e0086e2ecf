"""Configuration every install starts with: profile types, natures and member roles.
Admins edit them afterwards in the Django admin."""

from django.db import migrations

TYPES = [
    # code, libellé, identifiant requis, personnel, ordre, natures
    ("particulier", "Particulier", "", True, 0, []),
    ("foyer", "Foyer / famille", "", False, 1, []),
    ("association", "Association", "rna", False, 2,
     ["Association loi 1901", "Association reconnue d’utilité publique", "Association de droit local (Alsace-Moselle)"]),
    ("entreprise", "Entreprise", "siret", False, 3,
     ["Entreprise individuelle", "SARL", "SAS / SASU", "SA", "Société civile", "Commerçant", "Artisan"]),
    ("collectivite", "Collectivité / établissement public", "siret", False, 4,
     ["Commune", "Intercommunalité", "Département", "Établissement public", "Établissement scolaire"]),
]
ROLES = [("responsable", "Responsable", True, 0), ("membre", "Membre", False, 1)]


def create(apps, schema_editor):
    TypeProfil = apps.get_model("usagers", "TypeProfil")
    NatureProfil = apps.get_model("usagers", "NatureProfil")
    RoleMembre = apps.get_model("usagers", "RoleMembre")
    db = schema_editor.connection.alias
    for code, libelle, identifiant, personnel, ordre, natures in TYPES:
        type_profil, _ = TypeProfil.objects.using(db).get_or_create(
            code=code,
            defaults={"libelle": libelle, "identifiant_requis": identifiant,
                      "personnel": personnel, "ordre": ordre},
        )
        for i, nature in enumerate(natures):
            NatureProfil.objects.using(db).get_or_create(type_profil=type_profil, libelle=nature, defaults={"ordre": i})
    for code, libelle, responsable, ordre in ROLES:
        RoleMembre.objects.using(db).get_or_create(
            code=code, defaults={"libelle": libelle, "responsable": responsable, "ordre": ordre}
        )


class Migration(migrations.Migration):
    dependencies = [("usagers", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
