"""change_status (I1): transitions, history, closing, rollback, concurrency; the deposit
entering the guide's initial statut; publishing and copying versions."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dossiers.models import Dossier, Historique
from instruction import services
from instruction.models import ChangementStatut, SuiviInstruction, VersionGuide
from notifications import services as notifications_services
from notifications.models import Canal, Message, ModeleMessage
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import ActionStatutFactory, guide_publie


def _suivi(dossier):
    return SuiviInstruction.objects.select_related("statut").get(dossier=dossier)


def test_a_filed_dossier_enters_the_initial_statut(dossier, statuts):
    suivi = _suivi(dossier)
    assert suivi.statut == statuts["depose"]
    assert suivi.version.etat == VersionGuide.Etat.PUBLIEE
    changement = ChangementStatut.objects.get(dossier=dossier)
    assert changement.de is None and changement.vers == statuts["depose"]
    assert dossier.historique.filter(
        nature=Historique.Nature.STATUT, visible_usager=True, libelle="Votre demande est bien reçue"
    ).exists()


def test_without_a_published_guide_the_dossier_keeps_its_life_cycle(db):
    dossier = deposer(dispositif_publie())
    assert not SuiviInstruction.objects.filter(dossier=dossier).exists()
    with pytest.raises(ValidationError, match="ne suit pas de guide"):
        services.change_status(dossier=dossier, statut=None, by=None)


def test_an_allowed_change_is_written_with_its_history(dossier, statuts, instructeur):
    changement = services.change_status(
        dossier=dossier, statut=statuts["instruction"], by=instructeur, reason="Complet"
    )
    suivi = _suivi(dossier)
    assert suivi.statut == statuts["instruction"]
    assert suivi.etape_entree_le == changement.le
    assert (changement.de, changement.par, changement.motif) == (
        statuts["depose"],
        instructeur,
        "Complet",
    )
    ligne = dossier.historique.filter(nature=Historique.Nature.STATUT).first()
    assert ligne.libelle == "Votre demande est en cours d’examen"
    assert ligne.visible_usager and ligne.par == instructeur
    assert ligne.details == {
        "de": "Déposé",
        "vers": "En instruction",
        "statut": "instruction",
        "motif": "Complet",
    }


def test_a_statut_without_citizen_label_is_for_agents_only(dossier, statuts):
    services.change_status(dossier=dossier, statut=statuts["incomplet"], by=None)
    ligne = dossier.historique.filter(nature=Historique.Nature.STATUT).first()
    assert ligne.libelle == "Statut : Incomplet" and not ligne.visible_usager


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("accorde", "ne permet pas de passer de « Déposé » à « Accordé »"),
        ("depose", "déjà ce statut"),
    ],
)
def test_a_refused_change_leaves_nothing(dossier, statuts, code, message):
    with pytest.raises(ValidationError, match=message):
        services.change_status(dossier=dossier, statut=statuts[code], by=None)
    assert _suivi(dossier).statut == statuts["depose"]
    assert ChangementStatut.objects.filter(dossier=dossier).count() == 1


def test_a_statut_of_another_guide_is_refused(dossier, statuts):
    autres = guide_publie(dispositif_publie())
    with pytest.raises(ValidationError, match="n’appartient pas au guide"):
        services.change_status(dossier=dossier, statut=autres["instruction"], by=None)


def test_the_reason_is_required_when_the_statut_says_so(dossier, statuts):
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    with pytest.raises(ValidationError) as erreur:
        services.change_status(dossier=dossier, statut=statuts["refuse"], by=None, reason=" ")
    assert erreur.value.message_dict == {"motif": ["Indiquez le motif de ce changement."]}


def test_a_closing_statut_closes_the_dossier_and_leaving_it_reopens(dossier, statuts):
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    services.change_status(dossier=dossier, statut=statuts["accorde"], by=None)
    dossier.refresh_from_db()
    assert dossier.statut == Dossier.Statut.CLOS and dossier.clos_le is not None
    # No allowed next statut configured on « Accordé »: any statut of the version.
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    dossier.refresh_from_db()
    assert dossier.statut == Dossier.Statut.DEPOSE and dossier.clos_le is None


def test_a_failing_action_rolls_everything_back(dossier, statuts):
    ActionStatutFactory(
        statut=statuts["instruction"], ordre=1, type="champs", config={"valeurs": {"nom": "X"}}
    )
    ActionStatutFactory(
        statut=statuts["instruction"], ordre=2, type="courriel", config={"modele": 0}
    )
    with pytest.raises(
        ValidationError, match="L’action « Envoyer un courriel à l’usager » a échoué"
    ):
        services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    dossier.refresh_from_db()
    assert dossier.donnees["nom"] == "Martin"
    assert _suivi(dossier).statut == statuts["depose"]
    assert ChangementStatut.objects.filter(dossier=dossier).count() == 1
    assert dossier.historique.filter(nature=Historique.Nature.STATUT).count() == 1


def test_the_agent_saw_an_older_statut(dossier, statuts):
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    with pytest.raises(ValidationError, match="Un autre agent vient de changer le statut"):
        services.change_status(
            dossier=dossier, statut=statuts["accorde"], by=None, attendu=statuts["depose"]
        )


def test_the_event_reaches_the_outbox(dossier, statuts, django_capture_on_commit_callbacks):
    modele = ModeleMessage.objects.create(
        nom="Statut changé",
        canal=Canal.EMAIL,
        evenement=services.EVENEMENT_STATUT,
        sujet="Votre demande {{ dossier.reference }}",
        corps="Bonjour {{ demandeur.prenom }}, {{ statut.libelle }}.",
    )
    notifications_services.modele_publier(modele)
    notifications_services.correspondance_enregistrer(
        evenement=services.EVENEMENT_STATUT, modele=modele
    )
    with django_capture_on_commit_callbacks() as callbacks:
        services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    message = Message.objects.get(evenement=services.EVENEMENT_STATUT)
    assert message.destinataire == "usager@exemple.fr"
    assert message.corps == "Bonjour Léa, Votre demande est en cours d’examen."
    assert callbacks  # handed to a worker only once the change commits


@pytest.mark.django_db(transaction=True)
def test_two_agents_at_once_one_wins_the_other_is_told(citizen):
    statuts = guide_publie(dispositif_publie())
    dossier = deposer(statuts["depose"].version.guide.dispositif, citizen)
    premier_dedans, resultats = threading.Event(), {}
    continuer = threading.Event()

    def agent(nom, statut, retenir):
        from django.db import transaction

        try:
            with transaction.atomic():
                services.change_status(
                    dossier=dossier, statut=statut, by=None, attendu=statuts["depose"]
                )
                if retenir:
                    premier_dedans.set()
                    continuer.wait(5)
            resultats[nom] = "ok"
        except ValidationError as error:
            resultats[nom] = error.messages[0]
        finally:
            connection.close()

    premier = threading.Thread(target=agent, args=("a", statuts["instruction"], True))
    premier.start()
    assert premier_dedans.wait(5)
    second = threading.Thread(target=agent, args=("b", statuts["incomplet"], False))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the first one's row lock
    continuer.set()
    premier.join(5)
    second.join(5)
    assert resultats["a"] == "ok"
    assert resultats["b"].startswith("Un autre agent vient de changer le statut de ce dossier")
    assert _suivi(dossier).statut == statuts["instruction"]


def test_publishing_archives_the_previous_version_and_copies_keep_the_guide(dossier, statuts):
    ancienne = statuts["depose"].version
    copie = services.version_copier(version=ancienne)
    assert copie.numero == 2 and copie.etat == VersionGuide.Etat.BROUILLON
    assert copie.statuts.count() == 5
    assert set(copie.statuts.get(code="instruction").suivants.values_list("code", flat=True)) == {
        "accorde",
        "refuse",
    }
    services.version_publier(version=copie)
    ancienne.refresh_from_db()
    assert ancienne.etat == VersionGuide.Etat.ARCHIVEE
    # The dossier filed before keeps its version; new ones enter the new one.
    assert _suivi(dossier).version == ancienne
    nouveau = deposer(dossier.dispositif)
    assert _suivi(nouveau).version == copie


def test_publishing_needs_an_initial_statut(db):
    from tests.instruction.factories import EtapeFactory, StatutFactory

    statut = StatutFactory(etape=EtapeFactory())
    with pytest.raises(ValidationError, match="statut initial"):
        services.version_publier(version=statut.version)
