"""The dry run's French descriptions of each built-in action type (I9)."""

import pytest

from instruction import actions
from instruction.essais import decrire_action
from notifications.models import Canal, ModeleMessage
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _decrire(code, config):
    return actions.type_action(code)().decrire(config)


def test_champs():
    assert _decrire("champs", {"valeurs": {"montant_accorde": 0, "avis": "favorable"}}) == (
        'Renseigne les champs : montant_accorde = 0, avis = "favorable"'
    )


def test_suivi():
    assert _decrire("suivi", {"texte": "Dossier transmis"}) == (
        "Ajoute la ligne de suivi « Dossier transmis », visible de l’usager"
    )


def test_attribuer():
    agent = UserFactory(first_name="Sophie", last_name="Martin", agent=True)
    assert _decrire("attribuer", {"agent": agent.pk}) == f"Attribue le dossier à {agent}"
    assert _decrire("attribuer", {"agent": None}) == (
        "Attribue le dossier à l’agent qui change le statut"
    )
    assert _decrire("attribuer", {"agent": 999999}) == (
        "Attribue le dossier à un agent qui n’existe plus"
    )


def test_courriel():
    modele = ModeleMessage.objects.create(nom="Dossier recevable", canal=Canal.EMAIL, corps="x")
    assert _decrire("courriel", {"modele": modele.pk}) == (
        "Envoie le courriel « Dossier recevable » à l’usager (modèle non publié : échouera)"
    )
    modele.publie_le = modele.created_at
    modele.save()
    assert _decrire("courriel", {"modele": modele.pk}) == (
        "Envoie le courriel « Dossier recevable » à l’usager"
    )
    assert _decrire("courriel", {"modele": 999999}) == (
        "Envoie un courriel dont le modèle n’existe plus"
    )


def test_conversation():
    assert _decrire("conversation", {"ouvrir": True}) == "Ouvre la conversation avec l’usager"
    assert _decrire("conversation", {"ouvrir": False}) == "Ferme la conversation avec l’usager"


def test_a_type_without_description_gives_its_name_and_an_unknown_type_is_named():
    class Muette(actions.TypeAction):
        code = "muette"
        libelle = "Action muette"

    assert Muette().decrire({}) == "Action muette"
    assert decrire_action("inexistante", {}) == "Action de type inconnu « inexistante »"


def test_the_requests_to_the_citizen_say_what_they_ask(db):
    from tests.dossiers.factories import TypeJustificatifFactory

    type_ = TypeJustificatifFactory(libelle="Avis d’imposition")
    assert _decrire("justificatif", {"type_justificatif": type_.pk, "obligatoire": True}) == (
        "Demande à l’usager le justificatif « Avis d’imposition » (obligatoire)"
    )
    assert _decrire("justificatif", {"type_justificatif": 999999}) == (
        "Demande un justificatif dont le type n’existe plus"
    )
    assert _decrire("correction", {"champs": ["montant", "iban"], "motif": "…"}) == (
        "Demande à l’usager de corriger : montant, iban"
    )
    assert _decrire("onglet", {"onglet": "Budget", "vue": "internet", "effet": "masquer"}) == (
        "Masque l’onglet « Budget » dans la vue « Usager (portail) »"
    )
