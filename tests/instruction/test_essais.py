"""Guide test cases and dry runs (I9): a case runs through change_status on a throwaway
dossier and is compared with its expectations; nothing it does stays or is sent."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from dossiers.models import Dossier, Historique
from instruction import essais, services
from instruction.models import CasTest, PassageCasTest, SuiviInstruction, VersionGuide
from notifications import services as notifications_services
from notifications.models import Canal, Message, ModeleMessage, Notification
from tests.instruction.factories import ActionStatutFactory
from usagers.models import Individu


@pytest.fixture
def courriel(db):
    modele = ModeleMessage.objects.create(
        nom="Demande accordée",
        canal=Canal.EMAIL,
        evenement=services.EVENEMENT_STATUT,
        sujet="Demande {{ dossier.reference }} accordée",
        corps="Bonjour, « {{ statut.libelle }} ».",
    )
    notifications_services.modele_publier(modele)
    return modele


@pytest.fixture
def guide(statuts, courriel, instructeur):
    """The test guide with actions: a tracking line and an assignment on « En
    instruction », a field set and an email on « Accordé »."""
    ActionStatutFactory(
        statut=statuts["instruction"], ordre=1, type="suivi", config={"texte": "Dossier complet"}
    )
    ActionStatutFactory(
        statut=statuts["instruction"], ordre=2, type="attribuer", config={"agent": None}
    )
    ActionStatutFactory(
        statut=statuts["accorde"], ordre=1, type="champs", config={"valeurs": {"montant": "500"}}
    )
    ActionStatutFactory(
        statut=statuts["accorde"], ordre=2, type="courriel", config={"modele": courriel.pk}
    )
    return statuts


def _cas(statuts, *passages, donnees=None, **champs):
    cas = CasTest.objects.create(
        version=statuts["depose"].version,
        nom="Parcours accordé",
        donnees=donnees if donnees is not None else {"nom": "Martin", "montant": "1250.50"},
        **champs,
    )
    for ordre, passage in enumerate(passages):
        PassageCasTest.objects.create(cas=cas, ordre=ordre, **passage)
    return cas


def _accorde(**attendus):
    return {
        "statut": "accorde",
        "actions": ["champs", "courriel"],
        "messages": [{"modele": "Demande accordée", "destinataire": essais.ADRESSE_USAGER}],
        "champs": {"montant": "500"},
        **attendus,
    }


def _instruction():
    return {"statut": "instruction", "actions": ["suivi"], "suivi": ["Dossier complet"]}


def _traces():
    return (
        Dossier.objects.count(),
        Message.objects.count(),
        Notification.objects.count(),
        Individu.objects.count(),
        Historique.objects.count(),
    )


def test_a_passing_case_reports_each_passage(guide, instructeur):
    cas = _cas(guide, _instruction(), _accorde())
    avant = _traces()
    mail.outbox.clear()
    rapport = essais.cas_executer(cas, par=instructeur)
    assert rapport.reussi, rapport
    entree, instruction, accorde = rapport.passages
    assert entree.entree and entree.statut == "depose"
    assert [a["type"] for a in instruction.actions] == ["suivi", "attribuer"]
    assert instruction.actions[0]["description"] == (
        "Ajoute la ligne de suivi « Dossier complet », visible de l’usager"
    )
    assert {"nom": "agent attribué", "avant": "—", "apres": str(instructeur)} in (
        instruction.champs
    )
    assert {"nom": "montant", "avant": "1250.50", "apres": "500"} in accorde.champs
    (envoi,) = [m for m in accorde.messages if m["modele"] == "Demande accordée"]
    assert envoi["destinataire"] == essais.ADRESSE_USAGER
    assert envoi["sujet"].startswith("Demande ESSAI-")
    assert {"nom": "état du dossier", "avant": "Déposé", "apres": "Clôturé"} in accorde.champs
    # Nothing stays, nothing is sent: the run was rolled back before any commit hook.
    assert _traces() == avant
    assert mail.outbox == []
    cas.refresh_from_db()
    assert cas.reussi is True and cas.lance_le is not None
    assert cas.rapport["passages"][2]["statut"] == "accorde"


def test_a_wrong_expectation_is_reported(guide, instructeur):
    cas = _cas(
        guide,
        _instruction(),
        _accorde(
            champs={"montant": "800"},
            actions=["conversation"],
            messages=[{"modele": "Autre modèle"}],
            suivi=["Bravo"],
        ),
    )
    rapport = essais.cas_executer(cas, par=instructeur)
    assert not rapport.reussi
    accorde = rapport.passages[2]
    assert not accorde.reussi and not accorde.refuse
    assert accorde.ecarts == [
        "L’action « Ouvrir ou fermer la conversation » attendue ne s’est pas exécutée.",
        "Aucun message « Autre modèle » n’a été écrit.",
        "Aucune ligne de suivi visible de l’usager ne contient « Bravo ».",
        'Le champ « montant » vaut "500" au lieu de "800".',
    ]
    assert rapport.passages[1].reussi
    cas.refresh_from_db()
    assert cas.reussi is False


def test_a_refused_transition_is_a_reported_failure(guide, instructeur):
    cas = _cas(guide, {"statut": "accorde"}, _instruction(), {"statut": "inconnu"})
    rapport = essais.cas_executer(cas, par=instructeur)
    assert not rapport.reussi
    accorde, instruction, inconnu = rapport.passages[1:]
    assert accorde.refuse and "ne permet pas de passer" in accorde.erreur
    assert accorde.ecarts[0].startswith("Changement refusé : Le guide ne permet pas")
    # The next passages assume a dossier that is not where they expect: not run.
    assert instruction.non_joue and inconnu.non_joue


def test_an_expected_refusal_passes(guide, instructeur):
    cas = _cas(
        guide,
        _instruction(),
        {"statut": "refuse", "refus_attendu": True},  # no motif: refused
        {"statut": "refuse", "motif": "Hors critères"},
        {"statut": "inconnu"},
    )
    rapport = essais.cas_executer(cas, par=instructeur)
    refus, refuse, inconnu = rapport.passages[2:]
    assert refus.reussi and refus.refuse and refus.erreur == "Indiquez le motif de ce changement."
    assert refuse.reussi and not refuse.refuse
    assert inconnu.refuse and inconnu.erreur == (
        "Le statut « inconnu » n’existe pas dans cette version."
    )
    assert not rapport.reussi


def test_a_failing_action_rolls_back_its_passage_and_is_reported(guide, courriel, instructeur):
    courriel.publie_le = None
    courriel.save()
    cas = _cas(guide, _instruction(), _accorde())
    avant = _traces()
    rapport = essais.cas_executer(cas, par=instructeur)
    accorde = rapport.passages[2]
    assert accorde.refuse and "échoué" in accorde.erreur
    assert accorde.champs == [] and accorde.messages == []
    assert _traces() == avant


def test_a_draft_version_is_tested_before_publishing(guide, instructeur):
    version = guide["depose"].version
    copie = services.version_copier(version=version)
    cas = _cas(guide, _instruction(), _accorde())
    cas.version = copie
    cas.save()
    rapport = essais.cas_executer(cas, par=instructeur)
    assert rapport.reussi, rapport
    assert copie.etat == VersionGuide.Etat.BROUILLON
    assert not SuiviInstruction.objects.filter(version=copie).exists()


def test_publishing_is_refused_while_a_case_fails(guide, instructeur):
    copie = services.version_copier(version=guide["depose"].version)
    cas = _cas(guide, _accorde(champs={"montant": "800"}))
    cas.version = copie
    cas.save()
    with pytest.raises(ValidationError, match="Des cas de test échouent : « Parcours accordé »"):
        services.version_publier(version=copie, par=instructeur)
    copie.refresh_from_db()
    assert copie.etat == VersionGuide.Etat.BROUILLON
    services.version_publier(version=copie, par=instructeur, forcer=True)
    copie.refresh_from_db()
    assert copie.etat == VersionGuide.Etat.PUBLIEE


def test_case_data_is_validated_by_the_form(guide):
    version = guide["depose"].version
    assert essais.donnees_valider(version, {"montant": "12,5"}) == {"montant": "12.50"}
    with pytest.raises(ValidationError) as erreur:
        essais.donnees_valider(version, {"inconnu": 1, "montant": "beaucoup"})
    messages = erreur.value.message_dict["donnees"]
    assert messages[0] == "« inconnu » n’est pas un champ du formulaire."
    assert messages[1].startswith("« montant » :")
    with pytest.raises(ValidationError):
        essais.donnees_valider(version, ["pas", "un", "objet"])


def test_a_profil_demandeur(guide, instructeur):
    cas = _cas(guide, _instruction(), demandeur=CasTest.Demandeur.PROFIL)
    avant = _traces()
    assert essais.cas_executer(cas, par=instructeur).reussi
    assert _traces() == avant


def test_simulating_a_real_dossier_changes_nothing(dossier, guide, instructeur):
    services.change_status(dossier=dossier, statut=guide["instruction"], by=instructeur)
    avant = _traces()
    mail.outbox.clear()
    resultat = essais.simuler(dossier=dossier, statut=guide["accorde"], par=instructeur)
    assert resultat.reussi and not resultat.refuse
    assert [a["description"] for a in resultat.actions] == [
        'Renseigne les champs : montant = "500"',
        "Envoie le courriel « Demande accordée » à l’usager",
    ]
    assert {"nom": "montant", "avant": "1250.50", "apres": "500"} in resultat.champs
    assert any(m["destinataire"] == "usager@exemple.fr" for m in resultat.messages)
    assert [h["libelle"] for h in resultat.historique] == ["Votre demande est accordée"]
    assert _traces() == avant and mail.outbox == []
    dossier.refresh_from_db()
    assert dossier.statut == Dossier.Statut.DEPOSE and dossier.donnees["montant"] == "1250.50"
    assert SuiviInstruction.objects.get(dossier=dossier).statut == guide["instruction"]


def test_simulating_a_refused_change(dossier, guide, instructeur):
    resultat = essais.simuler(dossier=dossier, statut=guide["accorde"], par=instructeur)
    assert resultat.refuse and not resultat.reussi
    assert "ne permet pas de passer de « Déposé » à « Accordé »" in resultat.erreur


def test_the_version_dry_run_describes_each_statut(guide):
    etapes = essais.version_simulation(guide["depose"].version)
    assert [e.etape.libelle for e in etapes] == ["Dépôt", "Instruction", "Décision"]
    decision = {s.statut.code: s.effets for s in etapes[2].statuts}
    assert decision["accorde"] == [
        "Montre « Votre demande est accordée » à l’usager et déclenche l’événement "
        "« statut changé » (messages selon les correspondances)",
        "Clôture le dossier",
        'Renseigne les champs : montant = "500"',
        "Envoie le courriel « Demande accordée » à l’usager",
    ]
    incomplet = {s.statut.code: s.effets for s in etapes[0].statuts}["incomplet"]
    assert incomplet == ["N’est pas montré à l’usager (il voit l’étape)"]


def test_without_an_agent_named_a_throwaway_one_makes_the_passages(guide):
    from accounts.models import User

    cas = _cas(guide, _instruction())
    utilisateurs = User.objects.count()
    rapport = essais.cas_executer(cas)
    assert rapport.reussi, rapport
    assert {"nom": "agent attribué", "avant": "—", "apres": "Agent d’essai"} in (
        rapport.passages[1].champs
    )
    assert User.objects.count() == utilisateurs


def test_a_copy_of_the_version_keeps_its_test_cases_without_their_results(guide, instructeur):
    cas = _cas(guide, _instruction(), _accorde())
    essais.cas_executer(cas, par=instructeur)
    copie = services.version_copier(version=cas.version)
    (copie_cas,) = copie.cas_tests.all()
    assert copie_cas.nom == cas.nom and copie_cas.donnees == cas.donnees
    assert copie_cas.reussi is None and copie_cas.lance_le is None and copie_cas.rapport == {}
    assert list(copie_cas.passages.values_list("ordre", "statut", "actions")) == [
        (0, "instruction", ["suivi"]),
        (1, "accorde", ["champs", "courriel"]),
    ]
    # Statuts are named by code: the copied case passes on the copy too.
    assert essais.cas_executer(copie_cas, par=instructeur).reussi
    assert cas.passages.count() == 2
