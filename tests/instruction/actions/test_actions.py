"""The built-in status actions (I2): each run through change_status, and its config form."""

import pytest
from django.core.exceptions import ValidationError

from dossiers.models import Conversation, Historique
from instruction import actions, services
from instruction.models import ActionStatut
from notifications import services as notifications_services
from notifications.models import Canal, Message, ModeleMessage
from tests.instruction.factories import ActionStatutFactory


def _entrer(dossier, statuts, by=None):
    return services.change_status(dossier=dossier, statut=statuts["instruction"], by=by)


def test_set_fields(dossier, statuts):
    ActionStatutFactory(
        statut=statuts["instruction"], type="champs", config={"valeurs": {"montant": "0"}}
    )
    _entrer(dossier, statuts)
    dossier.refresh_from_db()
    assert dossier.donnees == {"nom": "Martin", "montant": "0"}


def test_tracking_line_for_the_citizen(dossier, statuts):
    ActionStatutFactory(
        statut=statuts["instruction"], type="suivi", config={"texte": "Pièces reçues"}
    )
    _entrer(dossier, statuts)
    assert dossier.historique.filter(libelle="Pièces reçues", visible_usager=True).exists()


def test_assign_to_the_agent_making_the_change(dossier, statuts, instructeur):
    ActionStatutFactory(statut=statuts["instruction"], type="attribuer", config={"agent": None})
    _entrer(dossier, statuts, by=instructeur)
    dossier.refresh_from_db()
    assert dossier.agent == instructeur


def test_assign_to_an_agent_who_cannot_instruct_rolls_back(dossier, statuts, agent):
    ActionStatutFactory(statut=statuts["instruction"], type="attribuer", config={"agent": agent.pk})
    with pytest.raises(ValidationError, match="ne peut pas instruire"):
        _entrer(dossier, statuts)
    dossier.refresh_from_db()
    assert dossier.agent is None


def test_open_then_close_the_conversation(dossier, statuts, instructeur):
    ActionStatutFactory(statut=statuts["instruction"], type="conversation", config={"ouvrir": True})
    ActionStatutFactory(statut=statuts["accorde"], type="conversation", config={"ouvrir": False})
    _entrer(dossier, statuts, by=instructeur)
    assert Conversation.objects.get(dossier=dossier).ouverte
    services.change_status(dossier=dossier, statut=statuts["accorde"], by=instructeur)
    assert not Conversation.objects.get(dossier=dossier).ouverte


def test_send_an_email_from_a_template(dossier, statuts):
    modele = ModeleMessage.objects.create(
        nom="Dossier en instruction",
        canal=Canal.EMAIL,
        evenement=services.EVENEMENT_STATUT,
        sujet="Dossier {{ dossier.reference }}",
        corps="Bonjour {{ demandeur.prenom }} : {{ statut.libelle }}.",
    )
    notifications_services.modele_publier(modele)
    ActionStatutFactory(
        statut=statuts["instruction"], type="courriel", config={"modele": modele.pk}
    )
    changement = _entrer(dossier, statuts)
    message = Message.objects.get(modele=modele)
    assert message.sujet == f"Dossier {dossier.reference}"
    assert message.corps == "Bonjour Léa : Votre demande est en cours d’examen."
    assert message.cle == f"instruction.courriel:{changement.pk}:{modele.pk}"


def test_an_unpublished_template_refuses_the_change(dossier, statuts):
    modele = ModeleMessage.objects.create(nom="Brouillon", canal=Canal.EMAIL, corps="…")
    ActionStatutFactory(
        statut=statuts["instruction"], type="courriel", config={"modele": modele.pk}
    )
    with pytest.raises(ValidationError, match="n’est pas publié"):
        _entrer(dossier, statuts)
    assert not Historique.objects.filter(dossier=dossier, libelle__contains="examen").exists()


def test_the_admin_validates_the_config_with_the_type_form(statuts):
    action = ActionStatut(statut=statuts["instruction"], type="champs", config={"valeurs": []})
    with pytest.raises(ValidationError) as erreur:
        action.full_clean()
    assert "config" in erreur.value.message_dict
    action.type = "inconnu"
    with pytest.raises(ValidationError, match="Type d’action inconnu"):
        action.full_clean()


def test_modules_register_more_types(dossier, statuts):
    class Marquer(actions.TypeAction):
        code = "test-marquer"
        libelle = "Marquer prioritaire"

        def executer(self, dossier, config, contexte):
            dossier.prioritaire = True
            dossier.save(update_fields=["prioritaire"])

    actions.register(Marquer)
    try:
        assert ("test-marquer", "Marquer prioritaire") in actions.choix()
        ActionStatutFactory(statut=statuts["instruction"], type="test-marquer", config={})
        _entrer(dossier, statuts)
        dossier.refresh_from_db()
        assert dossier.prioritaire
    finally:
        actions._types.pop("test-marquer")


@pytest.mark.parametrize(
    ("type_", "config"),
    [
        ("champs", {"valeurs": {"montant": 0}}),
        ("suivi", {"texte": "Pièces reçues"}),
        ("attribuer", {"agent": None}),
        ("conversation", {"ouvrir": True}),
        ("conversation", {"ouvrir": False}),
    ],
)
def test_configs_saved_by_the_admin_validate_again(statuts, type_, config):
    action = ActionStatut(statut=statuts["instruction"], type=type_, config=config)
    action.full_clean()
    assert action.config == config
