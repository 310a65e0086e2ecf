"""The « courriel » action with the dossier's generated documents attached."""

from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from instruction import services
from instruction.actions.courriel import Action, ConfigForm
from instruction.models import ActionStatut
from notifications.models import Message
from tests.editique.factories import ModeleDocumentFactory
from tests.instruction.factories import ActionStatutFactory


def _entrer(dossier, statuts):
    return services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)


def test_config_form(modele_courriel, modele_document):
    form = ConfigForm(
        data={
            "modele": modele_courriel.pk,
            "documents": "modeles",
            "modeles_documents": [modele_document.pk],
        }
    )
    assert form.is_valid(), form.errors
    assert Action.config_depuis(form.cleaned_data) == {
        "modele": modele_courriel.pk,
        "documents": "modeles",
        "modeles_documents": [modele_document.pk],
    }
    form = ConfigForm(data={"modele": modele_courriel.pk, "documents": "modeles"})
    assert form.errors["modeles_documents"] == [
        "Choisissez au moins un modèle de document à joindre."
    ]
    # A config of before the option stays as it was.
    form = ConfigForm(data={"modele": modele_courriel.pk})
    assert form.is_valid()
    assert Action.config_depuis(form.cleaned_data) == {"modele": modele_courriel.pk}


def test_the_document_generated_just_before_is_attached(
    dossier, statuts, modele_courriel, modele_document, django_capture_on_commit_callbacks
):
    ActionStatutFactory(
        statut=statuts["instruction"],
        ordre=1,
        type="document",
        config={"modele": modele_document.pk},
    )
    ActionStatutFactory(
        statut=statuts["instruction"],
        ordre=2,
        type="courriel",
        config={
            "modele": modele_courriel.pk,
            "documents": "modeles",
            "modeles_documents": [modele_document.pk],
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        _entrer(dossier, statuts)
    message = Message.objects.get(modele=modele_courriel)
    assert [p["nom"] for p in message.pieces_jointes] == [
        f"Accusé de réception — {dossier.reference}.pdf"
    ]
    (courriel,) = mail.outbox
    recu = message_from_bytes(courriel.message().as_bytes(), policy=policy.default)
    (piece,) = list(recu.iter_attachments())
    assert piece.get_content_type() == "application/pdf"
    assert piece.get_payload(decode=True).startswith(b"%PDF")


def test_the_documents_visible_to_the_citizen(dossier, statuts, modele_courriel, modele_document):
    cache = ModeleDocumentFactory(nom="Note interne")
    from editique import services as editique_services

    editique_services.modele_publier(modele=cache, par=None)
    for ordre, (modele, deposer) in enumerate(((modele_document, True), (cache, False))):
        ActionStatutFactory(
            statut=statuts["instruction"],
            ordre=ordre,
            type="document",
            config={"modele": modele.pk, "deposer_usager": deposer},
        )
    ActionStatutFactory(
        statut=statuts["instruction"],
        ordre=5,
        type="courriel",
        config={"modele": modele_courriel.pk, "documents": "visibles"},
    )
    _entrer(dossier, statuts)
    message = Message.objects.get(modele=modele_courriel)
    assert [p["nom"] for p in message.pieces_jointes] == [
        f"Accusé de réception — {dossier.reference}.pdf"
    ]


def test_a_missing_document_rolls_back(dossier, statuts, modele_courriel, modele_document):
    ActionStatutFactory(
        statut=statuts["instruction"],
        type="courriel",
        config={
            "modele": modele_courriel.pk,
            "documents": "modeles",
            "modeles_documents": [modele_document.pk],
        },
    )
    with pytest.raises(ValidationError, match="Aucun document « Accusé de réception »"):
        _entrer(dossier, statuts)
    assert not Message.objects.exists()


def test_the_admin_round_trips_the_config(statuts, modele_courriel, modele_document):
    config = {
        "modele": modele_courriel.pk,
        "documents": "modeles",
        "modeles_documents": [modele_document.pk],
    }
    action = ActionStatut(statut=statuts["instruction"], type="courriel", config=config)
    action.full_clean()
    assert action.config == config
