"""The configs of the new action types round-trip through the admin's validation
(ActionStatut.clean validates with the type's form and stores `config_depuis`)."""

import pytest
from django.core.exceptions import ValidationError

from instruction import actions
from instruction.models import ActionStatut


@pytest.fixture
def configs(modele_sms, modele_document, modele_courriel):
    return {
        "sms": {"modele": modele_sms.pk},
        "document": {"modele": modele_document.pk, "format": "docx", "deposer_usager": False},
        "sauter": {"statut": "accorde", "motif": "Petite demande"},
        "doublons": {"critere": "beneficiaire", "tous_dispositifs": True, "clos": False},
        "usager": {"cible": "individu", "correspondances": {"courriel": "email"}},
        "courriel": {
            "modele": modele_courriel.pk,
            "documents": "visibles",
            "modeles_documents": [],
        },
    }


@pytest.mark.parametrize("type_", ["sms", "document", "sauter", "doublons", "usager", "courriel"])
def test_configs_saved_by_the_admin_validate_again(statuts, configs, type_):
    action = ActionStatut(statut=statuts["instruction"], type=type_, config=configs[type_])
    action.full_clean()
    assert action.config == configs[type_]
    # Each says in French what it would do (the guide's dry run).
    assert actions.type_action(type_).decrire(action.config)


@pytest.mark.parametrize(
    ("type_", "config", "message"),
    [
        ("sms", {}, "Choisissez le modèle de SMS à envoyer."),
        ("document", {"modele": 0}, "Ce modèle de document n’existe pas ou n’est pas actif."),
        ("sauter", {}, "Indiquez le code du statut où aller."),
        ("doublons", {"critere": "x"}, "Choisissez demandeur, bénéficiaire ou les deux."),
        ("usager", {"cible": "individu"}, "Indiquez au moins un champ à recopier."),
    ],
)
def test_bad_configs_are_refused_in_french(statuts, type_, config, message):
    action = ActionStatut(statut=statuts["instruction"], type=type_, config=config)
    with pytest.raises(ValidationError) as erreur:
        action.full_clean()
    assert message in " ".join(erreur.value.message_dict["config"])


def test_every_new_type_is_registered():
    codes = {code for code, _libelle in actions.choix()}
    assert {"sms", "document", "sauter", "doublons", "usager"} <= codes
