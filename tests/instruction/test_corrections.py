"""Correction requests (I10): asking, answering with the named fields only, one open
request at a time, the return to the previous statut, notifications."""

import pytest
from django.core.exceptions import ValidationError

from dossiers.models import Historique
from instruction import services, services_corrections
from instruction.models import DemandeCorrection, SuiviInstruction
from notifications import services as notifications_services
from notifications.models import Canal, Message, ModeleMessage, Notification
from tests.instruction.factories import StatutFactory


@pytest.fixture
def statut_correction(statuts):
    """« Correction demandée », reachable from « Déposé » (any statut back from it)."""
    statut = StatutFactory(
        etape=statuts["depose"].etape,
        code=services_corrections.CODE_STATUT_CORRECTION,
        libelle="Correction demandée",
        libelle_usager="Une correction vous est demandée",
        masque=True,
    )
    statuts["depose"].suivants.add(statut)
    return statut


def _statut(dossier):
    return SuiviInstruction.objects.get(dossier=dossier).statut


def _demander(dossier, by, **kwargs):
    return services_corrections.correction_demander(
        dossier=dossier,
        champs=kwargs.pop("champs", ["montant", "nom"]),
        motif=kwargs.pop("motif", "Le montant ne correspond pas au budget."),
        by=by,
        **kwargs,
    )


def test_asking_moves_to_the_correction_statut_and_tells_the_citizen(
    dossier, statuts, statut_correction, instructeur, django_capture_on_commit_callbacks
):
    modele = ModeleMessage.objects.create(
        nom="Correction",
        canal=Canal.EMAIL,
        evenement=services_corrections.EVENEMENT_CORRECTION,
        sujet="Corrigez {{ dossier.reference }}",
        corps="Bonjour {{ demandeur.prenom }}, {{ correction.motif }} ({{ correction.champs }}).",
    )
    notifications_services.modele_publier(modele)
    notifications_services.correspondance_enregistrer(
        evenement=services_corrections.EVENEMENT_CORRECTION, modele=modele
    )
    with django_capture_on_commit_callbacks():
        demande = _demander(dossier, instructeur)
    assert demande.ouverte and demande.champs == ["montant", "nom"]
    assert demande.statut_avant == statuts["depose"]
    assert _statut(dossier) == statut_correction
    message = Message.objects.get(evenement=services_corrections.EVENEMENT_CORRECTION)
    assert message.destinataire == "usager@exemple.fr"
    assert message.corps == "Bonjour Léa, Le montant ne correspond pas au budget. (Nom, Montant)."
    ligne = dossier.historique.get(nature=Historique.Nature.CORRECTION)
    assert ligne.visible_usager and ligne.par == instructeur
    assert ligne.libelle == "Correction demandée : Le montant ne correspond pas au budget."


def test_without_a_correction_statut_the_dossier_stays(dossier, statuts, instructeur):
    demande = _demander(dossier, instructeur)
    assert demande.statut_avant is None and demande.statut_demande is None
    assert _statut(dossier) == statuts["depose"]


@pytest.mark.parametrize(
    ("champs", "motif", "message"),
    [
        ([], "Motif", "au moins un champ"),
        (["inconnu"], "Motif", "inconnu"),
        (["nom"], "  ", "motif de la correction"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(
    dossier, statut_correction, instructeur, champs, motif, message
):
    with pytest.raises(ValidationError, match=message):
        _demander(dossier, instructeur, champs=champs, motif=motif)
    assert not DemandeCorrection.objects.exists()
    assert _statut(dossier) != statut_correction


def test_a_second_request_while_one_is_open_is_refused(dossier, instructeur):
    _demander(dossier, instructeur)
    with pytest.raises(ValidationError, match="attend déjà la réponse"):
        _demander(dossier, instructeur, champs=["nom"])
    services_corrections.correction_annuler(dossier=dossier, by=instructeur)
    assert _demander(dossier, instructeur, champs=["nom"]).ouverte


def test_the_answer_saves_the_named_fields_only_and_returns_to_instruction(
    dossier, statuts, statut_correction, instructeur, citizen
):
    _demander(dossier, instructeur, champs=["montant"])
    dossier.refresh_from_db()
    avant_nom = dossier.donnees["nom"]
    demande = services_corrections.correction_repondre(
        dossier=dossier,
        donnees={"montant": "900", "nom": "Forgé"},  # « nom » was not asked for
        by=citizen,
    )
    dossier.refresh_from_db()
    assert dossier.donnees["nom"] == avant_nom
    assert dossier.donnees["montant"] == "900.00"
    assert demande.etat == DemandeCorrection.Etat.REPONDUE and demande.repondue_par == citizen
    assert set(demande.changements) == {"montant"}
    assert _statut(dossier) == statuts["depose"]  # back where it was before the request
    ligne = dossier.historique.filter(nature=Historique.Nature.MODIFICATION).first()
    assert ligne.visible_usager and "Montant" in ligne.details
    assert ligne.details["Montant"] == {
        "avant": "1\u202f250,50\xa0€",
        "apres": "900,00\xa0€",
    }
    # The agent who asked is told in the CRM.
    assert Notification.objects.get(destinataire=instructeur).lien.endswith("/instruction/")


def test_a_bad_answer_saves_nothing(dossier, statut_correction, instructeur, citizen):
    _demander(dossier, instructeur, champs=["montant"])
    with pytest.raises(services_corrections.CorrectionRefusee) as refus:
        services_corrections.correction_repondre(
            dossier=dossier, donnees={"montant": "beaucoup"}, by=citizen
        )
    assert "montant" in refus.value.erreurs
    dossier.refresh_from_db()
    assert dossier.donnees["montant"] == "1250.50"
    assert DemandeCorrection.objects.get().ouverte
    assert _statut(dossier) == statut_correction


def test_no_answer_without_an_open_request(dossier, citizen):
    with pytest.raises(ValidationError, match="Aucune demande"):
        services_corrections.correction_repondre(dossier=dossier, donnees={}, by=citizen)


def test_the_return_goes_to_the_configured_statut(
    dossier, statuts, statut_correction, instructeur, citizen
):
    _demander(dossier, instructeur, champs=["nom"], statut_retour=statuts["instruction"])
    services_corrections.correction_repondre(dossier=dossier, donnees={"nom": "Dupont"}, by=citizen)
    assert _statut(dossier) == statuts["instruction"]


def test_a_dossier_moved_meanwhile_stays_where_the_agent_put_it(
    dossier, statuts, statut_correction, instructeur, citizen
):
    _demander(dossier, instructeur, champs=["nom"])
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=instructeur)
    services_corrections.correction_repondre(dossier=dossier, donnees={"nom": "Dupont"}, by=citizen)
    assert _statut(dossier) == statuts["instruction"]


def test_a_closed_dossier_cannot_be_corrected(dossier, statuts, instructeur):
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=instructeur)
    services.change_status(dossier=dossier, statut=statuts["accorde"], by=instructeur)
    with pytest.raises(ValidationError, match="non clôturé"):
        _demander(dossier, instructeur)
