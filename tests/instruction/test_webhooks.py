"""Déclencheurs (I8) and their signed webhook: good call, bad signature, replay (old
timestamp, reused nonce), unknown dossier or déclencheur, bad JSON, fields outside the
whitelist, transition refused — JSON answers, never a 500, nothing half-applied."""

import json
import time
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dossiers.models import Dossier
from instruction import services
from instruction.models import ChangementStatut, Declencheur, SuiviInstruction
from instruction.services_declencheurs import declencheur_appliquer, signer
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import ActionStatutFactory, guide_publie


@pytest.fixture
def declencheur(statuts):
    declencheur = Declencheur(
        version=statuts["depose"].version,
        code="commission-avis",
        libelle="Avis de la commission",
        cible=statuts["instruction"],
        champs=["date_commission"],
        webhook=True,
    )
    declencheur.full_clean()
    declencheur.save()
    return declencheur


def _appel(client, declencheur, corps, *, secret=None, horodatage=None, nonce=None):
    corps = corps if isinstance(corps, bytes) else json.dumps(corps).encode()
    horodatage = str(int(time.time())) if horodatage is None else horodatage
    nonce = nonce or uuid.uuid4().hex
    signature = signer(secret or declencheur.secret, horodatage, nonce, corps)
    return client.post(
        reverse("instruction:webhook", args=[declencheur.code]),
        corps,
        content_type="application/json",
        headers={
            "X-Guichet-Horodatage": horodatage,
            "X-Guichet-Nonce": nonce,
            "X-Guichet-Signature": signature,
        },
    )


def _statut(dossier):
    return SuiviInstruction.objects.get(dossier=dossier).statut.code


def test_a_signed_call_sets_the_fields_and_moves_the_dossier(client, dossier, declencheur):
    corps = {"reference": dossier.reference, "donnees": {"date_commission": "2027-03-01"}}
    reponse = _appel(client, declencheur, corps)
    assert reponse.status_code == 200, reponse.content
    assert reponse.json() == {"reference": dossier.reference, "statut": "instruction"}
    dossier.refresh_from_db()
    assert dossier.donnees["date_commission"] == "2027-03-01"
    changement = ChangementStatut.objects.filter(dossier=dossier).first()
    assert (changement.par, changement.motif) == (None, "Déclencheur « Avis de la commission »")
    # Sent again (new nonce): already there, only the data.
    assert _appel(client, declencheur, corps).status_code == 200
    assert ChangementStatut.objects.filter(dossier=dossier).count() == 2


def test_bad_signature(client, dossier, declencheur):
    reponse = _appel(client, declencheur, {"reference": dossier.reference}, secret="autre")
    assert reponse.status_code == 403
    assert reponse.json() == {"erreur": "Signature invalide."}
    assert _statut(dossier) == "depose"
    sans = client.post(
        reverse("instruction:webhook", args=[declencheur.code]),
        b"{}",
        content_type="application/json",
    )
    assert sans.status_code == 403


def test_replays_are_refused(client, dossier, declencheur):
    corps = {"reference": dossier.reference}
    vieux = str(int(time.time()) - 6 * 60)
    assert _appel(client, declencheur, corps, horodatage=vieux).status_code == 403
    assert _appel(client, declencheur, corps, horodatage="demain").status_code == 403
    assert _appel(client, declencheur, corps, nonce="n-1").status_code == 200
    reponse = _appel(client, declencheur, corps, nonce="n-1")
    assert reponse.status_code == 403 and "nonce" in reponse.json()["erreur"]


@pytest.mark.parametrize(
    ("corps", "statut"),
    [
        (b"pas du json", 400),
        (b"\xff\xfe", 400),
        ([1, 2], 400),
        ({"reference": 12}, 400),
        ({"reference": "X", "donnees": []}, 400),
        ({"reference": "INCONNUE"}, 404),
    ],
)
def test_bad_bodies(client, dossier, declencheur, corps, statut):
    reponse = _appel(client, declencheur, corps)
    assert reponse.status_code == statut
    assert reponse.json()["erreur"]


def test_unknown_or_inactive_declencheur_and_get(client, declencheur):
    url = reverse("instruction:webhook", args=["inconnu"])
    assert client.post(url, b"{}", content_type="application/json").status_code == 404
    Declencheur.objects.filter(pk=declencheur.pk).update(webhook=False)
    assert _appel(client, declencheur, {"reference": "X"}).status_code == 404
    assert client.get(url).status_code == 405


def test_a_dossier_of_another_guide_is_unknown(client, declencheur, citizen):
    autre = guide_publie(dispositif_publie())
    dossier = deposer(autre["depose"].version.guide.dispositif, citizen)
    assert _appel(client, declencheur, {"reference": dossier.reference}).status_code == 404


def test_refusals_leave_nothing(client, dossier, declencheur, statuts):
    corps = {"reference": dossier.reference, "donnees": {"montant": "0"}}
    reponse = _appel(client, declencheur, corps)
    assert reponse.status_code == 409
    assert "montant" in reponse.json()["erreur"]
    # The target's action fails: the fields set before roll back too.
    ActionStatutFactory(statut=statuts["instruction"], type="disparu", config={})
    corps = {"reference": dossier.reference, "donnees": {"date_commission": "2027-03-01"}}
    reponse = _appel(client, declencheur, corps)
    assert reponse.status_code == 409
    assert "type inconnu" in reponse.json()["erreur"]
    dossier.refresh_from_db()
    assert "date_commission" not in dossier.donnees and _statut(dossier) == "depose"


def test_a_newer_version_of_the_guide_finds_the_target_by_code(dossier, declencheur, statuts):
    copie = services.version_copier(version=statuts["depose"].version)
    services.version_publier(version=copie)
    nouveau = deposer(dossier.dispositif, None)
    assert SuiviInstruction.objects.get(dossier=nouveau).version == copie
    declencheur_appliquer(declencheur=declencheur, dossier=nouveau, by=None)
    suivi = SuiviInstruction.objects.select_related("statut").get(dossier=nouveau)
    assert (suivi.statut.code, suivi.statut.version) == ("instruction", copie)


def test_validation(statuts):
    declencheur = Declencheur(
        version=statuts["depose"].version, code="x", libelle="X", champs="date"
    )
    with pytest.raises(ValidationError, match="liste JSON"):
        declencheur.full_clean()
    declencheur.champs = []
    with pytest.raises(ValidationError, match="change le statut, des champs"):
        declencheur.full_clean()
    declencheur.cible = guide_publie(dispositif_publie())["instruction"]
    with pytest.raises(ValidationError, match="même version"):
        declencheur.full_clean()


def test_the_secret_is_generated_and_regenerated(declencheur):
    assert len(declencheur.secret) == 64
    ancien = declencheur.secret
    assert declencheur.regenerer_secret() != ancien
    assert Dossier  # the module's models load


def test_the_values_are_typed_by_the_form(client, dossier, declencheur):
    declencheur.champs = ["montant", "date_commission", "nom"]
    declencheur.save()
    corps = {"reference": dossier.reference, "donnees": {"montant": "douze euros"}}
    reponse = _appel(client, declencheur, corps)
    assert reponse.status_code == 400
    assert reponse.json()["erreur"].startswith("montant : ")
    dossier.refresh_from_db()
    assert dossier.donnees["montant"] == "1250.50" and _statut(dossier) == "depose"
    # Data of the instruction only (not a field of the form): a plain value is kept.
    corps = {"reference": dossier.reference, "donnees": {"date_commission": {"a": 1}}}
    assert _appel(client, declencheur, corps).status_code == 400
    corps = {
        "reference": dossier.reference,
        "donnees": {"montant": "1 500,25", "date_commission": "2027-03-01"},
    }
    reponse = _appel(client, declencheur, corps)
    assert reponse.status_code == 200, reponse.content
    dossier.refresh_from_db()
    assert dossier.donnees["montant"] == "1500.25"
    assert dossier.donnees["date_commission"] == "2027-03-01"
