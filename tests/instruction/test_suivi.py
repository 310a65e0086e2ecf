"""The guide's provider for dossiers.suivi (P10, C2): states in a fixed number of queries,
the lifeline, F10's « modifiable by the citizen » and repeated modifications."""

import datetime

from django.utils import timezone

from dossiers import suivi
from dossiers.models import Dossier
from instruction import services
from instruction.models import SuiviInstruction
from tests.crm.dossiers.conftest import deposer, dispositif_publie


def test_states_citizen_and_agent_in_fixed_queries(
    dossier, statuts, dispositif, django_assert_num_queries
):
    """One query for a page; the dossiers then remember their state (the page's
    lifeline and « modifiable ? » do not ask again)."""
    autres = [deposer(dispositif) for _ in range(4)]
    sans_guide = deposer(dispositif_publie())
    services.change_status(dossier=dossier, statut=statuts["incomplet"], by=None)
    dossiers = [dossier, *autres, sans_guide]
    with django_assert_num_queries(1):
        agents = suivi.etats(dossiers, usager=False)
    with django_assert_num_queries(0):
        usagers = suivi.etats(dossiers, usager=True)
        assert suivi.usager_peut_modifier(autres[0])  # « Déposé » is modifiable
    assert (agents[dossier.pk].libelle, agents[dossier.pk].couleur) == ("Incomplet", "warning")
    # « Incomplet » has no citizen label: the citizen sees its étape.
    assert usagers[dossier.pk].libelle == "Dépôt"
    assert usagers[autres[0].pk].libelle == "Votre demande est bien reçue"
    assert agents[sans_guide.pk].libelle == "Déposé"  # the life cycle


def test_late_against_the_target_of_the_etape(dossier, statuts):
    SuiviInstruction.objects.filter(dossier=dossier).update(
        etape_entree_le=timezone.now() - datetime.timedelta(days=6)
    )
    dossier = Dossier.objects.get(pk=dossier.pk)  # as a new request reads it
    assert suivi.etat(dossier, usager=False).en_retard
    ligne = suivi.ligne_de_vie(dossier, usager=False)
    assert [(e.libelle, e.etat, e.en_retard) for e in ligne] == [
        ("Dépôt", "en_cours", True),
        ("Instruction", "a_venir", False),
        ("Décision", "a_venir", False),
    ]


def test_lifeline_follows_the_statut(dossier, statuts):
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    assert [e.etat for e in suivi.ligne_de_vie(dossier)] == ["faite", "en_cours", "a_venir"]
    services.change_status(dossier=dossier, statut=statuts["accorde"], by=None)
    assert [e.etat for e in suivi.ligne_de_vie(dossier)] == ["faite", "faite", "faite"]
    assert suivi.etat(dossier).libelle == "Votre demande est accordée"


def test_the_citizen_may_modify_while_the_statut_allows(dossier, statuts):
    assert suivi.usager_peut_modifier(dossier)
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    assert not suivi.usager_peut_modifier(dossier)


def test_repeated_modifications_apply_a_statut_through_change_status(dossier, statuts):
    assert suivi.appliquer_statut(dossier, "incomplet")
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["incomplet"]
    # Not allowed from « Incomplet » (only « Déposé » follows), or unknown: not applied.
    assert not suivi.appliquer_statut(dossier, "accorde")
    assert not suivi.appliquer_statut(dossier, "inconnu")


def test_details_give_the_etape_and_its_deadline_for_exports(
    dossier, statuts, dispositif, django_assert_num_queries
):
    """Exports (issue 9): the étape and the day after which the dossier is late, in the
    same single query as the states; none for a closing statut or without a guide."""
    entree = timezone.now() - datetime.timedelta(days=2)
    SuiviInstruction.objects.filter(dossier=dossier).update(etape_entree_le=entree)
    clos = deposer(dispositif)
    services.change_status(dossier=clos, statut=statuts["instruction"], by=None)
    services.change_status(dossier=clos, statut=statuts["accorde"], by=None)
    sans_guide = deposer(dispositif_publie())
    dossiers = [Dossier.objects.get(pk=d.pk) for d in (dossier, clos, sans_guide)]
    with django_assert_num_queries(1):
        details = suivi.details(dossiers)
    assert details[dossier.pk] == suivi.DetailsSuivi(
        "Dépôt", timezone.localdate(entree) + datetime.timedelta(days=5)
    )
    assert details[clos.pk] == suivi.DetailsSuivi("Décision", None)
    assert sans_guide.pk not in details
