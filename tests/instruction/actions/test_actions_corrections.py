"""The status actions of the corrections slice (I2, I10): « Demander une correction »,
« Demander un justificatif » and « Onglet par vue »."""

import pytest
from django.core.exceptions import ValidationError

from common.extensions import a_faire
from dossiers import selectors_gestion, selectors_suivi, services_edition
from dossiers.models import Justificatif
from instruction import actions, services, services_corrections
from instruction.models import DemandeCorrection, SuiviInstruction
from tests.dossiers.factories import TypeJustificatifFactory
from tests.instruction.factories import ActionStatutFactory


def _entrer(dossier, statuts, by=None):
    return services.change_status(dossier=dossier, statut=statuts["instruction"], by=by)


# --- Demander une correction -------------------------------------------------------------


def test_correction_action_opens_a_request_answered_back_to_the_previous_statut(
    dossier, statuts, citizen
):
    statuts["instruction"].suivants.add(statuts["depose"])
    ActionStatutFactory(
        statut=statuts["instruction"],
        type="correction",
        config={"champs": ["nom"], "motif": "Précisez le nom complet."},
    )
    _entrer(dossier, statuts)
    demande = DemandeCorrection.objects.get(dossier=dossier)
    assert demande.ouverte and demande.champs == ["nom"]
    assert (demande.statut_avant, demande.statut_demande) == (
        statuts["depose"],
        statuts["instruction"],
    )
    services_corrections.correction_repondre(
        dossier=dossier, donnees={"nom": "Martin-Durand"}, by=citizen
    )
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["depose"]


def test_correction_action_leaves_an_open_request(dossier, statuts, instructeur):
    services_corrections.correction_demander(
        dossier=dossier, champs=["montant"], motif="Montant", by=instructeur
    )
    ActionStatutFactory(
        statut=statuts["instruction"], type="correction", config={"champs": ["nom"], "motif": "x"}
    )
    _entrer(dossier, statuts)
    assert DemandeCorrection.objects.get(dossier=dossier).champs == ["montant"]


def test_correction_action_naming_an_unknown_field_rolls_back(dossier, statuts):
    ActionStatutFactory(
        statut=statuts["instruction"],
        type="correction",
        config={"champs": ["inexistant"], "motif": "x"},
    )
    with pytest.raises(ValidationError, match="inexistant"):
        _entrer(dossier, statuts)
    assert not DemandeCorrection.objects.exists()
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["depose"]


def test_correction_config_form_reads_a_list_of_names():
    form = actions.type_action("correction").form_class(
        data={"champs": "montant, nom ,", "motif": "À revoir"}
    )
    assert form.is_valid()
    assert form.cleaned_data["champs"] == ["montant", "nom"]
    assert not actions.type_action("correction").form_class(data={"champs": " , "}).is_valid()


# --- Demander un justificatif ------------------------------------------------------------


def test_justificatif_action_asks_for_the_piece_once(dossier, statuts, citizen, instructeur):
    type_ = TypeJustificatifFactory(libelle="RIB")
    ActionStatutFactory(
        statut=statuts["instruction"],
        type="justificatif",
        config={"type_justificatif": type_.pk, "obligatoire": True, "commentaire": "Au nom"},
    )
    _entrer(dossier, statuts, by=instructeur)
    piece = Justificatif.objects.get(dossier=dossier, type=type_)
    assert piece.statut == Justificatif.Statut.ATTENDU and piece.commentaire_agent == "Au nom"
    # The citizen's « À faire » lists it.
    assert any("RIB" in item.libelle for item in a_faire(citizen))
    # Entering the statut again asks nothing more while it is still to provide.
    statuts["instruction"].suivants.add(statuts["depose"])
    services.change_status(dossier=dossier, statut=statuts["depose"], by=None)
    _entrer(dossier, statuts)
    assert Justificatif.objects.filter(dossier=dossier, type=type_).count() == 1


def test_justificatif_action_with_a_deleted_type_rolls_back(dossier, statuts):
    ActionStatutFactory(
        statut=statuts["instruction"], type="justificatif", config={"type_justificatif": 999999}
    )
    with pytest.raises(ValidationError, match="n’existe plus"):
        _entrer(dossier, statuts)


def test_justificatif_config_form_validates_in_the_admin(dossier, statuts):
    type_ = TypeJustificatifFactory()
    action = ActionStatutFactory.build(
        statut=statuts["instruction"], type="justificatif", config={"type_justificatif": type_.pk}
    )
    action.clean()
    assert action.config == {"type_justificatif": type_.pk, "obligatoire": False, "commentaire": ""}


# --- Onglet par vue ------------------------------------------------------------------------


def _onglet(statuts, vue, effet, statut="instruction"):
    ActionStatutFactory(
        statut=statuts[statut],
        type="onglet",
        config={"onglet": "Demande", "vue": vue, "effet": effet},
        ordre=len(statuts[statut].actions.all()),
    )


def _frais(dossier):
    from dossiers.models import Dossier

    return Dossier.objects.get(pk=dossier.pk)


def test_hiding_a_tab_for_the_citizen_only(dossier, statuts):
    _onglet(statuts, "internet", "masquer")
    assert selectors_suivi.donnees_affichees(_frais(dossier))
    _entrer(dossier, statuts)
    assert selectors_suivi.donnees_affichees(_frais(dossier)) == []
    assert [titre for titre, _champs in selectors_gestion.donnees_crm(_frais(dossier))] == [
        "Demande"
    ]


def test_hiding_a_tab_for_agents_then_showing_it_again(dossier, statuts):
    _onglet(statuts, "crm", "masquer")
    _entrer(dossier, statuts)
    assert selectors_gestion.donnees_crm(_frais(dossier)) == []
    _onglet(statuts, "crm", "afficher", statut="accorde")
    services.change_status(dossier=dossier, statut=statuts["accorde"], by=None)
    assert len(selectors_gestion.donnees_crm(_frais(dossier))) == 1


def test_a_read_only_tab_is_kept_by_the_citizen_modification(dossier, statuts, citizen):
    statuts["instruction"].modifiable_usager = True
    statuts["instruction"].save()
    _onglet(statuts, "internet", "lecture_seule")
    _entrer(dossier, statuts)
    avant = _frais(dossier).donnees
    changes = services_edition.dossier_modifier(
        dossier=_frais(dossier), donnees={"nom": "Autre", "montant": "1"}, user=citizen
    )
    assert changes == []
    assert _frais(dossier).donnees == avant
    assert SuiviInstruction.objects.get(dossier=dossier).onglets == {
        "internet": {"Demande": {"modifiable": False}}
    }


def test_an_unknown_tab_rolls_back(dossier, statuts):
    ActionStatutFactory(
        statut=statuts["instruction"],
        type="onglet",
        config={"onglet": "Budget", "vue": "internet", "effet": "masquer"},
    )
    with pytest.raises(ValidationError, match="pas d’onglet « Budget »"):
        _entrer(dossier, statuts)
    assert SuiviInstruction.objects.get(dossier=dossier).onglets == {}


def test_a_return_the_guide_refuses_keeps_the_answer_and_says_so(dossier, statuts, citizen):
    ActionStatutFactory(
        statut=statuts["instruction"], type="correction", config={"champs": ["nom"], "motif": "x"}
    )
    _entrer(dossier, statuts)
    services_corrections.correction_repondre(dossier=dossier, donnees={"nom": "Dupont"}, by=citizen)
    assert _frais(dossier).donnees["nom"] == "Dupont"
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["instruction"]
    assert dossier.historique.filter(libelle__startswith="Retour au statut « Déposé » impossible")
