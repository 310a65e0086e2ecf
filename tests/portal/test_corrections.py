"""The citizen's correction form (I10): only the named fields, errors next to them with
the input kept, « À faire » and the Suivi tab pointing to it; its query budget."""

import pytest

from instruction import services_corrections
from instruction.models import DemandeCorrection
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie
from tests.queries import assert_page_budget


@pytest.fixture
def dossier(db, citizen, instructeur):
    dispositif = dispositif_publie()
    guide_publie(dispositif)
    dossier = deposer(dispositif, citizen)
    services_corrections.correction_demander(
        dossier=dossier, champs=["montant"], motif="Le montant dépasse le plafond.", by=instructeur
    )
    return dossier


def _url(dossier):
    return f"/mon-compte/demandes/{dossier.pk}/correction/"


def test_the_citizen_is_told_on_mon_compte_and_the_suivi_tab(client, citizen, dossier):
    client.force_login(citizen)
    compte = client.get("/mon-compte/").content.decode()
    assert "Corriger votre demande" in compte and _url(dossier) in compte
    suivi = client.get(f"/mon-compte/demandes/{dossier.pk}/").content.decode()
    assert "Le montant dépasse le plafond." in suivi and _url(dossier) in suivi


def test_the_form_holds_the_named_fields_only(client, citizen, dossier):
    client.force_login(citizen)
    page = client.get(_url(dossier)).content.decode()
    assert 'name="montant"' in page and 'name="nom"' not in page
    assert "Martin" in page  # the rest of the dossier, read-only


def test_bad_input_keeps_what_was_typed_then_a_good_answer_closes(client, citizen, dossier):
    client.force_login(citizen)
    response = client.post(_url(dossier), {"montant": "douze"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="douze"' in page and "fr-message--error" in page
    assert DemandeCorrection.objects.get().ouverte
    response = client.post(_url(dossier), {"montant": "800", "nom": "Forgé"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.donnees["nom"] == "Martin" and dossier.donnees["montant"] == "800.00"
    assert not DemandeCorrection.objects.filter(etat=DemandeCorrection.Etat.OUVERTE).exists()
    # Nothing left to correct: back to the dossier.
    assert client.get(_url(dossier)).status_code == 302


def test_another_citizen_gets_404(client, other_citizen, dossier):
    client.force_login(other_citizen)
    assert client.get(_url(dossier)).status_code == 404


def test_query_budget_of_the_correction_page(client, citizen, dossier, instructeur):
    client.force_login(citizen)

    def grow():
        services_corrections.correction_annuler(dossier=dossier, by=instructeur)
        services_corrections.correction_demander(
            dossier=dossier, champs=["montant", "nom"], motif="Deux champs", by=instructeur
        )

    assert_page_budget(client, _url(dossier), budget=14, grow=grow)
