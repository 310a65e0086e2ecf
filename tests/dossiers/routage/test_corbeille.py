"""The trash (C14): a trashed dossier vanishes from every agent's and citizen's query,
comes back when restored, and is deleted for good by hand or after the delay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers import services_corbeille as corbeille
from dossiers import services_gestion
from dossiers.models import Dossier, Historique
from dossiers.selectors import dossiers_of, dossiers_visible_to
from tests.crm.dossiers.conftest import deposer, dispositif_publie

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(citizen):
    return deposer(dispositif_publie(), citizen)


def test_trash_hides_everywhere_then_restore(dossier, citizen, instructeur):
    corbeille.dossier_mettre_a_la_corbeille(dossier=dossier, by=instructeur)
    assert not dossiers_visible_to(instructeur).filter(pk=dossier.pk).exists()
    assert not dossiers_of(citizen).filter(pk=dossier.pk).exists()
    assert not dossiers_of(None, suivis=[dossier.pk]).exists()
    assert list(dossiers_visible_to(instructeur, corbeille=True)) == [dossier]
    with pytest.raises(corbeille.CorbeilleRefusee):
        corbeille.dossier_mettre_a_la_corbeille(dossier=dossier, by=instructeur)

    corbeille.dossier_restaurer(dossier=dossier, by=instructeur)
    assert dossiers_visible_to(instructeur).filter(pk=dossier.pk).exists()
    assert dossiers_of(citizen).filter(pk=dossier.pk).exists()
    assert not dossiers_visible_to(instructeur, corbeille=True).exists()
    assert list(
        dossier.historique.filter(nature=Historique.Nature.CORBEILLE).values_list(
            "libelle", flat=True
        )
    ) == ["Dossier restauré depuis la corbeille", "Dossier mis à la corbeille"]
    with pytest.raises(corbeille.CorbeilleRefusee):
        corbeille.dossier_restaurer(dossier=dossier, by=instructeur)


def test_final_deletion_only_from_the_trash(dossier, instructeur):
    with pytest.raises(corbeille.CorbeilleRefusee):
        corbeille.dossier_supprimer_definitivement(dossier=dossier, by=instructeur)
    corbeille.dossier_mettre_a_la_corbeille(dossier=dossier, by=instructeur)
    reference = corbeille.dossier_supprimer_definitivement(dossier=dossier, by=instructeur)
    assert reference == dossier.reference
    assert not Dossier.objects.filter(pk=dossier.pk).exists()


def test_purge_after_the_delay_only(dossier, citizen, instructeur, settings):
    settings.GUICHET_CORBEILLE_JOURS = 30
    maintenant = timezone.now()
    recent = deposer(dispositif_publie(), citizen)
    corbeille.dossier_mettre_a_la_corbeille(
        dossier=dossier, by=instructeur, maintenant=maintenant - timedelta(days=31)
    )
    corbeille.dossier_mettre_a_la_corbeille(
        dossier=recent, by=instructeur, maintenant=maintenant - timedelta(days=29)
    )
    assert corbeille.corbeille_purger(maintenant=maintenant) == 1
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    assert Dossier.objects.filter(pk=recent.pk).exists()
    assert corbeille.corbeille_purger(maintenant=maintenant) == 0  # twice is harmless


def test_linked_dossiers_in_the_trash_are_not_offered(dossier, citizen, instructeur):
    autre = deposer(dispositif_publie(), citizen)
    corbeille.dossier_mettre_a_la_corbeille(dossier=autre, by=instructeur)
    with pytest.raises(services_gestion.GestionRefusee):
        services_gestion.dossier_lier_parent(
            dossier=dossier, reference=autre.reference, by=instructeur
        )
