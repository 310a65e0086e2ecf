"""The « sms » action: the demandeur's mobile, through the outbox and the file fake."""

import json

import pytest
from django.core.exceptions import ValidationError

from dossiers.models import Historique
from instruction import services
from instruction.actions.sms import ConfigForm, mobile
from instruction.models import ChangementStatut
from notifications.models import Canal, Message, ModeleMessage, Statut
from tests.instruction.factories import ActionStatutFactory
from tests.usagers.factories import ProfilFactory


def _entrer(dossier, statuts):
    return services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)


def test_config_form(modele_sms):
    assert ConfigForm(data={"modele": modele_sms.pk}).is_valid()
    form = ConfigForm(data={})
    assert not form.is_valid()
    assert form.errors["modele"] == ["Choisissez le modèle de SMS à envoyer."]
    courriel = ModeleMessage.objects.create(nom="Mail", canal=Canal.EMAIL, corps="x")
    assert ConfigForm(data={"modele": courriel.pk}).errors["modele"] == [
        "Ce modèle de SMS n’existe pas."
    ]


def test_sends_the_sms_to_the_mobile_on_commit(
    dossier, statuts, modele_sms, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.GUICHET_SMS_DIR = str(tmp_path)
    dossier.demandeur_individu.telephone_mobile = "+33612345678"
    dossier.demandeur_individu.save()
    ActionStatutFactory(statut=statuts["instruction"], type="sms", config={"modele": modele_sms.pk})
    with django_capture_on_commit_callbacks(execute=True):
        changement = _entrer(dossier, statuts)
    message = Message.objects.get(modele=modele_sms)
    assert message.statut == Statut.ENVOYE
    assert message.cle == f"instruction.sms:{changement.pk}:{modele_sms.pk}"
    ligne = json.loads((tmp_path / "sms.jsonl").read_text())
    assert ligne["numero"] == "+33612345678"
    assert f"dossier {dossier.reference}, Votre demande est en cours d’examen." in ligne["texte"]


def test_without_mobile_skipped_with_a_note(dossier, statuts, modele_sms):
    dossier.demandeur_individu.telephone_mobile = ""
    dossier.demandeur_individu.save()
    ActionStatutFactory(statut=statuts["instruction"], type="sms", config={"modele": modele_sms.pk})
    _entrer(dossier, statuts)
    assert not Message.objects.filter(canal=Canal.SMS).exists()
    note = Historique.objects.get(dossier=dossier, libelle__startswith="SMS")
    assert note.libelle == "SMS « SMS statut » non envoyé : pas de numéro de mobile."
    assert not note.visible_usager


def test_a_profil_landline_falls_back_on_the_individu_mobile(dossier, statuts, modele_sms):
    dossier.demandeur_profil = ProfilFactory(telephone="02 38 12 34 56")
    dossier.save()
    dossier.demandeur_individu.telephone_mobile = "+33698765432"
    dossier.demandeur_individu.save()
    ActionStatutFactory(statut=statuts["instruction"], type="sms", config={"modele": modele_sms.pk})
    _entrer(dossier, statuts)
    assert Message.objects.get(canal=Canal.SMS).destinataire == "+33698765432"
    assert mobile(dossier) == "+33698765432"
    dossier.demandeur_profil.telephone = "06 11 22 33 44"
    assert mobile(dossier) == "06 11 22 33 44"


def test_an_unpublished_template_rolls_the_change_back(dossier, statuts):
    brouillon = ModeleMessage.objects.create(nom="Brouillon SMS", canal=Canal.SMS, corps="x")
    ActionStatutFactory(statut=statuts["instruction"], type="sms", config={"modele": brouillon.pk})
    with pytest.raises(ValidationError, match="SMS de l’action n’existe pas ou n’est pas publié"):
        _entrer(dossier, statuts)
    assert not ChangementStatut.objects.filter(
        dossier=dossier, vers=statuts["instruction"]
    ).exists()
    assert not Message.objects.exists()
