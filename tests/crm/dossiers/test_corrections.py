"""The CRM's correction requests (I10): the form from the Instruction tab, refusals next
to their fields, the open request shown and cancelled."""

import pytest

from instruction import services_corrections
from instruction.models import DemandeCorrection
from tests.crm.dossiers.conftest import deposer
from tests.instruction.factories import guide_publie


@pytest.fixture
def dossier_guide(dispositif, citizen):
    guide_publie(dispositif)
    return deposer(dispositif, citizen)


def _url(dossier, suffixe=""):
    return f"/crm/dossiers/{dossier.pk}/correction/{suffixe}"


def test_the_instruction_tab_offers_the_request(client, instructeur, dossier_guide):
    client.force_login(instructeur)
    page = client.get(f"/crm/dossiers/{dossier_guide.pk}/instruction/").content.decode()
    assert "Demander une correction" in page
    form = client.get(_url(dossier_guide)).content.decode()
    assert "Nom (nom)" in form and "Montant (montant)" in form


def test_asking_from_the_crm(client, instructeur, dossier_guide):
    client.force_login(instructeur)
    response = client.post(
        _url(dossier_guide), {"champs": ["montant"], "motif": "Montant à revoir", "echeance": ""}
    )
    assert response.status_code == 302
    demande = DemandeCorrection.objects.get(dossier=dossier_guide)
    assert demande.champs == ["montant"] and demande.demandee_par == instructeur
    page = client.get(f"/crm/dossiers/{dossier_guide.pk}/instruction/").content.decode()
    assert "En attente de l’usager" in page and "Montant à revoir" in page


def test_bad_input_is_shown_next_to_the_fields_and_kept(client, instructeur, dossier_guide):
    client.force_login(instructeur)
    response = client.post(
        _url(dossier_guide), {"champs": [], "motif": "Texte gardé", "echeance": "2001-01-01"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choisissez au moins un champ à corriger." in page
    assert "Texte gardé" in page
    response = client.post(
        _url(dossier_guide), {"champs": ["nom"], "motif": "Motif", "echeance": "2001-01-01"}
    )
    assert "L’échéance ne peut pas être dans le passé." in response.content.decode()
    assert not DemandeCorrection.objects.exists()


def test_a_second_request_is_refused_then_the_first_cancelled(client, instructeur, dossier_guide):
    services_corrections.correction_demander(
        dossier=dossier_guide, champs=["nom"], motif="Nom", by=instructeur
    )
    client.force_login(instructeur)
    response = client.post(_url(dossier_guide), {"champs": ["montant"], "motif": "Autre"})
    assert response.status_code == 400
    assert "attend déjà la réponse de l’usager" in response.content.decode()
    assert client.post(_url(dossier_guide, "annuler/")).status_code == 302
    assert DemandeCorrection.objects.get().etat == DemandeCorrection.Etat.ANNULEE
