"""Export and import of a guide as JSON (F7)."""

import copy

import pytest
from django.core.exceptions import ValidationError

from instruction import echange
from instruction.models import Guide, VersionGuide
from notifications import services as notifications_services
from notifications.models import Canal, ModeleMessage
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import dispositif_publie
from tests.dossiers.factories import DispositifFactory
from tests.instruction.factories import ActionStatutFactory, guide_publie

pytestmark = pytest.mark.django_db


@pytest.fixture
def statuts():
    statuts = guide_publie(dispositif_publie())
    modele = ModeleMessage.objects.create(
        nom="Demande accordée",
        canal=Canal.EMAIL,
        evenement="dossier.statut_change",
        sujet="Dossier {{ dossier.reference }}",
        corps="Bonjour {{ demandeur.prenom }}",
    )
    notifications_services.modele_publier(modele)
    agent = UserFactory(email="instructeur.rsa@exemple.fr", agent=True)
    ActionStatutFactory(statut=statuts["depose"], type="attribuer", config={"agent": agent.pk})
    ActionStatutFactory(statut=statuts["depose"], type="suivi", config={"texte": "Reçu"})
    ActionStatutFactory(statut=statuts["accorde"], type="courriel", config={"modele": modele.pk})
    ActionStatutFactory(
        statut=statuts["accorde"], type="champs", config={"valeurs": {"montant": 150}}
    )
    ActionStatutFactory(statut=statuts["accorde"], type="attribuer", config={"agent": None})
    return statuts


def test_export_lists_etapes_statuts_and_natural_keys(statuts):
    document = echange.guide_exporter(statuts["depose"].version)
    assert document["format"] == "guichet.guide_instruction"
    assert [e["libelle"] for e in document["etapes"]] == ["Dépôt", "Instruction", "Décision"]
    depose = document["etapes"][0]["statuts"][0]
    assert depose["code"] == "depose" and depose["initial"] is True
    assert depose["suivants"] == ["incomplet", "instruction"]
    assert depose["actions"][0] == {
        "type": "attribuer",
        "config": {"agent": {"email": "instructeur.rsa@exemple.fr"}},
    }
    accorde = document["etapes"][2]["statuts"][0]
    assert accorde["actions"][0]["config"] == {"modele": {"nom": "Demande accordée"}}


def test_round_trip_gives_the_same_document(statuts):
    version = statuts["depose"].version
    document = echange.guide_exporter(version)
    copie = echange.guide_importer(document, dispositif=version.guide.dispositif)
    assert (copie.numero, copie.etat, copie.guide_id) == (2, "brouillon", version.guide_id)
    assert echange.guide_exporter(copie) == document


def test_import_onto_another_dispositif_creates_its_guide(statuts):
    document = echange.guide_exporter(statuts["depose"].version)
    autre = DispositifFactory(code="AUT")
    version = echange.guide_importer(document, dispositif=autre)
    assert version.guide.dispositif == autre and version.numero == 1
    exporte = echange.guide_exporter(version)
    assert exporte["dispositif"] == "AUT"
    assert exporte["etapes"] == document["etapes"]


def _casse(document, chemin, valeur):
    document = copy.deepcopy(document)
    cible = document
    for cle in chemin[:-1]:
        cible = cible[cle]
    cible[chemin[-1]] = valeur
    return document


@pytest.mark.parametrize(
    ("chemin", "valeur", "message"),
    [
        (("format",), "autre", "pas un guide d’instruction exporté"),
        (("version_format",), 99, "format 99"),
        (("etapes",), [], "aucune étape"),
        (("etapes", 1, "libelle"), "", "L’étape n° 2 n’a pas de libellé"),
        (("etapes", 0, "statuts", 1, "code"), "depose", "« depose » est utilisé deux fois"),
        (("etapes", 0, "statuts", 0, "suivants"), ["nulle-part"], "« nulle-part », qui n’est pas"),
        (("etapes", 1, "statuts", 0, "initial"), True, "plusieurs statuts initiaux"),
        (("etapes", 0, "statuts", 0, "libelle"), None, "n’a pas de libelle"),
        (("etapes", 0, "statuts", 0, "couleur"), "fuchsia", "Statut « depose » : couleur"),
        (
            ("etapes", 0, "statuts", 0, "actions", 1, "type"),
            "teleporter",
            "action n° 2 : type d’action « teleporter » inconnu",
        ),
        (
            ("etapes", 2, "statuts", 0, "actions", 0, "config", "modele"),
            {"nom": "Inconnu"},
            "« Inconnu » introuvable",
        ),
        (
            ("etapes", 2, "statuts", 0, "actions", 1, "config", "valeurs"),
            {},
            "action n° 2 : valeurs : Ce champ est obligatoire",
        ),
    ],
)
def test_a_bad_document_is_refused_whole(statuts, chemin, valeur, message):
    document = _casse(echange.guide_exporter(statuts["depose"].version), chemin, valeur)
    avant = VersionGuide.objects.count()
    with pytest.raises(ValidationError) as erreur:
        echange.guide_importer(document, dispositif=DispositifFactory())
    assert message in " ".join(erreur.value.messages)
    assert VersionGuide.objects.count() == avant
    assert Guide.objects.count() == 1
