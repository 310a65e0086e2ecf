"""dossiers/services_exports.py: direct or job, the job's run (eager Celery), its
progress, idempotence, scope at run time, failures, the purge."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from dossiers import exports, services_exports
from dossiers.models import Dossier, Export
from tests.dossiers.exports_donnees import deposer_exportable, dispositif_exportable

pytestmark = pytest.mark.django_db

SOURCE = "test_tous"
PARAMETRES = {"colonnes": ["reference", "statut", "champ:montant"], "libelles": True}


@pytest.fixture(autouse=True)
def source():
    """A source of every dossier the agent sees, narrowed by `?nom=` (like the list)."""
    from dossiers.selectors import dossiers_visible_to

    def tous(agent, filtres):
        dossiers = dossiers_visible_to(agent).order_by("pk")
        if filtres.startswith("nom="):
            dossiers = dossiers.filter(demandeur_individu__nom=filtres[4:])
        return dossiers

    services_exports.register_source(SOURCE, tous)
    yield
    services_exports._sources.pop(SOURCE, None)


@pytest.fixture
def dispositif():
    return dispositif_exportable()


def _parametres(dispositif):
    return {**PARAMETRES, "dispositif": dispositif.pk}


def _demander(instructeur, dispositif, format_="csv", filtres=""):
    return services_exports.export_demander(
        agent=instructeur,
        format_=format_,
        source=SOURCE,
        filtres=filtres,
        parametres=_parametres(dispositif),
    )


def test_small_export_is_answered_at_once(instructeur, dispositif):
    dossier = deposer_exportable(dispositif)
    resultat = _demander(instructeur, dispositif)
    assert isinstance(resultat, services_exports.ExportDirect)
    contenu = b"".join(resultat.morceaux()).decode("utf-8-sig")
    assert dossier.reference in contenu
    assert not Export.objects.exists()


def test_large_export_is_a_job_run_after_commit_with_its_file(
    instructeur, dispositif, settings, django_capture_on_commit_callbacks
):
    settings.GUICHET_EXPORT_SEUIL = 1
    dossiers = [deposer_exportable(dispositif, demandeur=f"N{i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        export = _demander(instructeur, dispositif)
    assert isinstance(export, Export)
    export.refresh_from_db()
    assert export.etat == Export.Etat.TERMINE
    assert (export.total, export.faits, export.pourcentage) == (3, 3, 100)
    assert export.nom_fichier.startswith("dossiers-") and export.nom_fichier.endswith(".csv")
    assert export.fichier.name.startswith("prive/exports/")
    with export.fichier.open("rb") as fichier:
        lignes = list(csv.reader(io.StringIO(fichier.read().decode("utf-8-sig")), delimiter=";"))
    assert lignes[0] == ["Référence", "Statut", "Montant demandé"]
    assert [ligne[0] for ligne in lignes[1:]] == [d.reference for d in dossiers]


def test_the_job_records_its_progress_chunk_by_chunk(
    instructeur, dispositif, settings, monkeypatch
):
    settings.GUICHET_EXPORT_SEUIL = 1
    for i in range(3):
        deposer_exportable(dispositif, demandeur=f"N{i}")
    export = _demander(instructeur, dispositif, format_="xlsx")  # not run: no commit here
    monkeypatch.setattr(exports, "TAILLE_LOT", 1)
    vus = []
    ecrire = exports.ecrire

    def espion(format_, spec, rangees, fichier):
        def suivies():
            for ligne in rangees:
                vus.append(Export.objects.get(pk=export.pk).faits)
                yield ligne

        return ecrire(format_, spec, suivies(), fichier)

    monkeypatch.setattr(exports, "ecrire", espion)
    services_exports.export_executer(export.pk)
    # Each row is seen before its chunk is counted: 0, 1, 2 rows done by then.
    assert vus == [0, 1, 2]
    export.refresh_from_db()
    assert export.etat == Export.Etat.TERMINE and export.faits == 3


def test_running_a_job_twice_does_nothing_the_second_time(instructeur, dispositif, settings):
    settings.GUICHET_EXPORT_SEUIL = 0
    deposer_exportable(dispositif)
    export = _demander(instructeur, dispositif)
    assert services_exports.export_executer(export.pk) is not None
    nom = Export.objects.get(pk=export.pk).fichier.name
    assert services_exports.export_executer(export.pk) is None
    assert Export.objects.get(pk=export.pk).fichier.name == nom


def test_a_job_taken_by_a_worker_that_died_is_taken_again(instructeur, dispositif, settings):
    settings.GUICHET_EXPORT_SEUIL = 0
    deposer_exportable(dispositif)
    export = _demander(instructeur, dispositif)
    Export.objects.filter(pk=export.pk).update(
        etat=Export.Etat.EN_COURS, commence_le=timezone.now()
    )
    assert services_exports.export_executer(export.pk) is None  # still within its lease
    Export.objects.filter(pk=export.pk).update(commence_le=timezone.now() - timedelta(hours=1))
    assert services_exports.export_executer(export.pk).etat == Export.Etat.TERMINE


def test_the_job_selects_again_through_the_agents_scope_when_it_runs(
    instructeur, dispositif, settings
):
    settings.GUICHET_EXPORT_SEUIL = 0
    deposer_exportable(dispositif)
    brouillon = Dossier.objects.create(
        dispositif=dispositif, modele=Dossier.objects.first().modele, donnees={}
    )
    export = _demander(instructeur, dispositif)
    instructeur.user_permissions.remove(Permission.objects.get(codename="instruire_dossiers"))
    termine = services_exports.export_executer(export.pk)
    assert termine.etat == Export.Etat.TERMINE
    with termine.fichier.open("rb") as fichier:
        contenu = fichier.read().decode("utf-8-sig")
    assert contenu.strip().count("\r\n") == 0  # the header only: rights lost since
    assert str(brouillon.pk) not in contenu


def test_a_draft_is_never_exported(instructeur, dispositif):
    deposer_exportable(dispositif)
    Dossier.objects.create(
        dispositif=dispositif, modele=Dossier.objects.first().modele, donnees={"nom": "Brouillon"}
    )
    contenu = b"".join(_demander(instructeur, dispositif, "json").morceaux()).decode()
    assert len(json.loads(contenu)["dossiers"]) == 1


def test_a_job_that_fails_says_so(instructeur, dispositif, settings):
    settings.GUICHET_EXPORT_SEUIL = 0
    deposer_exportable(dispositif)
    export = _demander(instructeur, dispositif)
    Export.objects.filter(pk=export.pk).update(source="disparue")
    echoue = services_exports.export_executer(export.pk)
    assert echoue.etat == Export.Etat.ECHEC
    assert echoue.erreur == "Source d’export inconnue."
    assert not echoue.fichier


def test_unknown_format_or_column_is_refused(instructeur, dispositif):
    with pytest.raises(services_exports.ExportRefuse):
        _demander(instructeur, dispositif, format_="pdf")
    with pytest.raises(services_exports.ExportRefuse, match="Colonne inconnue"):
        services_exports.export_demander(
            agent=instructeur,
            format_="csv",
            source=SOURCE,
            filtres="",
            parametres={"colonnes": ["champ:secret"], "dispositif": dispositif.pk},
        )


def test_old_jobs_and_their_files_are_purged(instructeur, dispositif, settings):
    settings.GUICHET_EXPORT_SEUIL = 0
    settings.GUICHET_EXPORTS_JOURS = 7
    deposer_exportable(dispositif)
    ancien = services_exports.export_executer(_demander(instructeur, dispositif).pk)
    recent = services_exports.export_executer(_demander(instructeur, dispositif).pk)
    Export.objects.filter(pk=ancien.pk).update(created_at=timezone.now() - timedelta(days=8))
    stockage, nom = ancien.fichier.storage, ancien.fichier.name
    assert stockage.exists(nom)
    assert services_exports.exports_purger() == 1
    assert not stockage.exists(nom)
    assert list(Export.objects.values_list("pk", flat=True)) == [recent.pk]


def test_nobody_else_sees_an_agents_jobs(instructeur, admin_user, dispositif, settings):
    settings.GUICHET_EXPORT_SEUIL = 0
    deposer_exportable(dispositif)
    export = _demander(instructeur, dispositif)
    assert list(services_exports.exports_de(instructeur)) == [export]
    assert not services_exports.exports_de(admin_user).exists()
