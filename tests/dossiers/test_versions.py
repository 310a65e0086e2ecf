"""Moving in-flight dossiers onto a newer version of their form model (F11): the default
mapping, the move (values validated again, what the new version refuses archived), its
record, idempotence, refusals, and the admin's intermediate page."""

import pytest
from django.urls import reverse

from demo.formulaires import _champ
from dossiers import services
from dossiers.models import Dossier, MigrationDossier, MigrationVersion
from tests.dossiers.factories import DispositifFactory

pytestmark = pytest.mark.django_db


def _modele(champs):
    """An import document (F7) of one tab whose rows hold one field each."""
    return {
        "format": services.FORMAT,
        "version_format": services.FORMAT_VERSION,
        "dispositif": "VER",
        "listes": [],
        "referentiel": [],
        "onglets": [
            {
                "titre": "Demande",
                "aide": "",
                "ordre": 0,
                "condition": None,
                "lignes": [
                    {
                        "ordre": i,
                        "colonnes": 1,
                        "titre_section": "",
                        "condition": None,
                        "champs": [champ],
                    }
                    for i, champ in enumerate(champs)
                ],
            }
        ],
    }


SPORTS = [["foot", "Football"], ["judo", "Judo"], ["echecs", "Échecs"]]
V1 = _modele(
    [
        _champ("nom_association", "Nom", "texte"),
        _champ("nb_adherents", "Adhérents", "texte", obligatoire=False),
        _champ("sport", "Sport", "choix_unique_radio", choix=SPORTS),
        _champ("ancien_champ", "Ancien", "texte", obligatoire=False),
        _champ("budget", "Budget", "montant"),
        _champ("double", "Double", "calcul", obligatoire=False, options={"formule": "budget * 2"}),
        _champ("note", "Note", "note", obligatoire=False, options={"texte": "<p>Lisez.</p>"}),
    ]
)
V2 = _modele(
    [
        _champ("nom_association", "Nom", "texte_long"),
        _champ("nb_adherents", "Adhérents", "entier", obligatoire=False),
        _champ("sport", "Sport", "choix_unique_radio", choix=SPORTS[:2]),
        _champ("budget", "Budget", "montant"),
        _champ("double", "Double", "calcul", obligatoire=False, options={"formule": "budget * 2"}),
        _champ("nouveau", "Nouveau", "texte", obligatoire=False),
    ]
)


def _publier(dispositif, document):
    modele = services.modele_importer(document, dispositif=dispositif)
    return services.modele_publier(modele=modele, by=None)


@pytest.fixture
def versions():
    dispositif = DispositifFactory(code="VER")
    return _publier(dispositif, V1), _publier(dispositif, V2)


def _dossier(modele, donnees, *, depose=False):
    return Dossier.objects.create(
        dispositif=modele.dispositif,
        modele=modele,
        donnees=donnees,
        statut=Dossier.Statut.DEPOSE if depose else Dossier.Statut.BROUILLON,
        reference=f"2026-VER-{Dossier.objects.count() + 1:06d}" if depose else "",
    )


COMPLET = {
    "nom_association": "Les Amis du Parc",
    "nb_adherents": "42",
    "sport": "judo",
    "ancien_champ": "à garder",
    "budget": "1500.00",
    "double": "0",  # stale: computed again on the new version
}


def test_default_mapping_same_name_and_compatible_type(versions):
    v1, v2 = versions

    assert services.migration_correspondance_defaut(source=v1, cible=v2) == {
        "nom_association": "nom_association",  # texte → texte_long: same family
        "nb_adherents": None,  # texte → entier: not compatible
        "sport": "sport",
        "ancien_champ": None,  # gone
        "budget": "budget",
        "double": "double",
    }  # the note holds no value: not in the mapping


def test_move_with_a_type_change_drafts_and_submitted(versions, admin_user):
    v1, v2 = versions
    brouillon = _dossier(v1, {**COMPLET, "nb_adherents": "42"})
    depose = _dossier(v1, {**COMPLET, "nb_adherents": " 7 ", "sport": "foot"}, depose=True)
    correspondance = {
        **services.migration_correspondance_defaut(source=v1, cible=v2),
        "nb_adherents": "nb_adherents",
    }

    migration = services.dossiers_migrer(
        source=v1, cible=v2, correspondance=correspondance, by=admin_user
    )

    brouillon.refresh_from_db()
    depose.refresh_from_db()
    assert brouillon.modele == v2 and depose.modele == v2
    assert brouillon.statut == "brouillon" and depose.statut == "depose"
    assert brouillon.donnees == {
        "nom_association": "Les Amis du Parc",
        "nb_adherents": 42,  # the text became an integer
        "sport": "judo",
        "budget": "1500.00",
        "double": "3000.00",  # computed again on the new version
    }
    assert depose.donnees["nb_adherents"] == 7
    assert depose.donnees["sport"] == "foot"
    assert migration.nombre == 2
    assert migration.par == admin_user
    assert migration.correspondance["nb_adherents"] == "nb_adherents"
    ligne = MigrationDossier.objects.get(migration=migration, dossier=depose)
    assert ligne.modele_precedent == v1
    assert ligne.statut == "depose"
    assert ligne.donnees_precedentes == {**COMPLET, "nb_adherents": " 7 ", "sport": "foot"}
    assert list(depose.migrations.all()) == [ligne]


def test_invalid_and_unmapped_values_are_archived_not_dropped(versions):
    v1, v2 = versions
    dossier = _dossier(v1, {**COMPLET, "nb_adherents": "beaucoup", "sport": "echecs"})
    correspondance = {
        **services.migration_correspondance_defaut(source=v1, cible=v2),
        "nb_adherents": "nb_adherents",
    }

    migration = services.dossiers_migrer(
        source=v1, cible=v2, correspondance=correspondance, by=None
    )

    dossier.refresh_from_db()
    assert "nb_adherents" not in dossier.donnees
    assert "sport" not in dossier.donnees  # "echecs" is no longer a choice
    assert "ancien_champ" not in dossier.donnees
    archive = dossier.migrations.get().archive
    assert archive["nb_adherents"]["valeur"] == "beaucoup"
    assert "nombre entier" in archive["nb_adherents"]["raison"]
    assert archive["sport"] == {
        "valeur": "echecs",
        "raison": archive["sport"]["raison"],
    }
    assert "liste" in archive["sport"]["raison"]
    assert archive["ancien_champ"] == {
        "valeur": "à garder",
        "raison": "Non repris dans la nouvelle version.",
    }
    assert migration.valeurs_archivees == 3


def test_a_field_mapped_onto_another_name(versions):
    v1, v2 = versions
    dossier = _dossier(v1, COMPLET)
    correspondance = {
        **services.migration_correspondance_defaut(source=v1, cible=v2),
        "ancien_champ": "nouveau",
    }

    services.dossiers_migrer(source=v1, cible=v2, correspondance=correspondance, by=None)

    dossier.refresh_from_db()
    assert dossier.donnees["nouveau"] == "à garder"
    assert "ancien_champ" not in dossier.migrations.get().archive


def test_moving_twice_is_harmless(versions):
    v1, v2 = versions
    _dossier(v1, COMPLET)
    deja = _dossier(v2, {"nom_association": "Déjà là"})
    correspondance = services.migration_correspondance_defaut(source=v1, cible=v2)

    first = services.dossiers_migrer(source=v1, cible=v2, correspondance=correspondance, by=None)
    second = services.dossiers_migrer(source=v1, cible=v2, correspondance=correspondance, by=None)

    assert first.nombre == 1
    assert second is None
    assert MigrationVersion.objects.count() == 1
    assert MigrationDossier.objects.count() == 1
    deja.refresh_from_db()
    assert deja.donnees == {"nom_association": "Déjà là"}
    assert not deja.migrations.exists()


def test_refusals(versions):
    v1, v2 = versions
    dossier = _dossier(v1, COMPLET)
    draft = services.modele_brouillon(dispositif=v1.dispositif)
    other = _publier(DispositifFactory(), V2)

    cases = [
        (v2, v1, {}, "plus récente"),
        (v1, v1, {}, "plus récente"),
        (v1, draft, {}, "brouillon"),
        (v1, other, {}, "même dispositif"),
        (v1, v2, {"inconnu": "nouveau"}, "n’existe pas dans la version 1"),
        (v1, v2, {"nom_association": "absent"}, "n’existe pas dans la version 2"),
        (
            v1,
            v2,
            {"nom_association": "nouveau", "ancien_champ": "nouveau"},
            "à la fois",
        ),
    ]
    for source, cible, correspondance, message in cases:
        with pytest.raises(services.MigrationRefusee) as refus:
            services.dossiers_migrer(
                source=source, cible=cible, correspondance=correspondance, by=None
            )
        assert message in refus.value.messages[0]
    dossier.refresh_from_db()
    assert dossier.modele == v1
    assert not MigrationVersion.objects.exists()


def test_apercu_counts_and_archived_values_write_nothing(versions):
    v1, v2 = versions
    _dossier(v1, COMPLET)
    _dossier(v1, {**COMPLET, "sport": "echecs"}, depose=True)
    correspondance = services.migration_correspondance_defaut(source=v1, cible=v2)

    apercu = services.migration_apercu(source=v1, cible=v2, correspondance=correspondance)

    assert apercu["nombre"] == 2
    assert apercu["brouillons"] == 1 and apercu["deposes"] == 1
    assert apercu["archives"]["nb_adherents"]["nombre"] == 2
    assert apercu["archives"]["sport"]["nombre"] == 1
    assert apercu["archives"]["sport"]["exemples"][0]["valeur"] == "echecs"
    assert apercu["valeurs_archivees"] == 5
    assert Dossier.objects.filter(modele=v1).count() == 2


# The admin's intermediate page ---------------------------------------------------------


def _url(modele):
    return reverse("admin:dossiers_modeledossier_migrer", kwargs={"object_id": modele.pk})


def test_admin_action_opens_the_intermediate_page(client, admin_user, versions):
    v1, _v2 = versions
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:dossiers_modeledossier_changelist"),
        {"action": "deplacer_dossiers", "_selected_action": [v1.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == _url(v1)


def test_admin_page_shows_the_mapping_and_what_is_archived(client, admin_user, versions):
    v1, v2 = versions
    _dossier(v1, COMPLET)
    _dossier(v1, {**COMPLET, "sport": "echecs"}, depose=True)
    client.force_login(admin_user)

    response = client.get(_url(v1))

    assert response.status_code == 200
    body = response.content.decode()
    assert "2 dossiers" in body
    assert "Ne pas reprendre" in body
    assert 'name="champ_sport"' in body
    assert '<option value="sport" selected>' in body
    assert "echecs" in body  # the value that will be archived
    assert f"Version {v2.version}" in body


def test_admin_confirm_moves_the_dossiers(client, admin_user, versions):
    v1, v2 = versions
    dossier = _dossier(v1, COMPLET)
    client.force_login(admin_user)
    data = {
        "cible": v2.pk,
        "champ_nom_association": "nom_association",
        "champ_nb_adherents": "nb_adherents",
        "champ_sport": "sport",
        "champ_ancien_champ": "",
        "champ_budget": "budget",
        "champ_double": "double",
        "confirmer": "1",
    }

    response = client.post(_url(v1), data, follow=True)

    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.modele == v2
    assert dossier.donnees["nb_adherents"] == 42
    body = response.content.decode()
    assert "1 dossier(s) déplacé(s) de la version 1 vers la version 2" in body
    assert "1 valeur(s) archivée(s)" in body
    migration = MigrationVersion.objects.get()
    assert migration.par == admin_user
    # The record and the dossier's history are readable in the admin.
    assert (
        client.get(
            reverse("admin:dossiers_migrationversion_change", args=[migration.pk])
        ).status_code
        == 200
    )
    page = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))
    assert "à garder" in page.content.decode()


def test_admin_refuses_a_bad_mapping_with_a_message(client, admin_user, versions):
    v1, v2 = versions
    dossier = _dossier(v1, COMPLET)
    client.force_login(admin_user)
    data = {
        "cible": v2.pk,
        "champ_nom_association": "nouveau",
        "champ_ancien_champ": "nouveau",
        "confirmer": "1",
    }

    response = client.post(_url(v1), data)

    assert response.status_code == 200
    assert "à la fois" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.modele == v1


def test_admin_page_without_a_newer_version(client, admin_user, versions):
    _v1, v2 = versions
    client.force_login(admin_user)

    response = client.get(_url(v2))

    assert response.status_code == 200
    assert "Aucune version publiée plus récente" in response.content.decode()
