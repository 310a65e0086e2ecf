"""The « sauter » action: on to a later statut through change_status, history of both."""

import pytest
from django.core.exceptions import ValidationError

from instruction import selectors, services
from instruction.actions import sauter
from instruction.actions.sauter import ConfigForm
from instruction.models import ChangementStatut, SuiviInstruction
from tests.instruction.factories import ActionStatutFactory


def test_config_form():
    assert ConfigForm(data={"statut": "accorde"}).is_valid()
    assert ConfigForm(data={}).errors["statut"] == ["Indiquez le code du statut où aller."]
    assert "statut" in ConfigForm(data={"statut": "pas un code"}).errors


def test_skips_to_the_later_statut(dossier, statuts, instructeur):
    ActionStatutFactory(statut=statuts["instruction"], type="sauter", config={"statut": "accorde"})
    ActionStatutFactory(statut=statuts["accorde"], type="suivi", config={"texte": "Accordé !"})
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=instructeur)
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["accorde"]
    assert list(
        ChangementStatut.objects.filter(dossier=dossier)
        .order_by("pk")
        .values_list("vers__code", "motif")
    ) == [
        ("depose", ""),
        ("instruction", ""),
        ("accorde", "Étapes sautées depuis « En instruction »"),
    ]
    # The target's own actions ran, and the caller's copy shows where the dossier ended.
    assert dossier.historique.filter(libelle="Accordé !").exists()
    assert selectors.suivi_de(dossier).statut == statuts["accorde"]
    dossier.refresh_from_db()
    assert dossier.statut == dossier.Statut.CLOS


def test_an_earlier_statut_rolls_back(dossier, statuts):
    ActionStatutFactory(statut=statuts["instruction"], type="sauter", config={"statut": "depose"})
    with pytest.raises(ValidationError, match="ne vient pas après"):
        services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["depose"]


def test_an_unknown_code_rolls_back(dossier, statuts):
    ActionStatutFactory(statut=statuts["instruction"], type="sauter", config={"statut": "nulle"})
    with pytest.raises(ValidationError, match="« nulle » n’existe pas dans ce guide"):
        services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    assert ChangementStatut.objects.filter(dossier=dossier).count() == 1


def test_a_transition_the_guide_refuses_rolls_back(dossier, statuts):
    statuts["instruction"].suivants.set([statuts["refuse"]])
    ActionStatutFactory(statut=statuts["instruction"], type="sauter", config={"statut": "accorde"})
    with pytest.raises(ValidationError, match="ne permet pas de passer de « En instruction »"):
        services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["depose"]


def test_chained_skips_are_capped(dossier, statuts, monkeypatch):
    monkeypatch.setattr(sauter, "PROFONDEUR_MAX", 0)
    ActionStatutFactory(statut=statuts["instruction"], type="sauter", config={"statut": "accorde"})
    with pytest.raises(ValidationError, match="Trop de sauts d’étapes enchaînés"):
        services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["depose"]
