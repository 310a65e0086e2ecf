"""« Attribuer le dossier » with a team (C14): agent and/or team; the config of issue 8
({"agent": …} alone) keeps its meaning."""

import pytest
from django.core.exceptions import ValidationError

from instruction import actions, services
from tests.dossiers.routage.factories import EquipeFactory
from tests.instruction.factories import ActionStatutFactory


def _entrer(dossier, statuts, by=None):
    return services.change_status(dossier=dossier, statut=statuts["instruction"], by=by)


def test_team_only_leaves_the_agent(dossier, statuts, instructeur):
    equipe = EquipeFactory(nom="Pôle enfance")
    ActionStatutFactory(
        statut=statuts["instruction"], type="attribuer", config={"agent": None, "equipe": equipe.pk}
    )
    _entrer(dossier, statuts, by=instructeur)
    dossier.refresh_from_db()
    assert dossier.equipe == equipe and dossier.agent is None
    assert dossier.historique.filter(libelle="Dossier confié à l’équipe Pôle enfance").exists()


def test_team_and_agent(dossier, statuts, instructeur):
    equipe = EquipeFactory()
    ActionStatutFactory(
        statut=statuts["instruction"],
        type="attribuer",
        config={"agent": instructeur.pk, "equipe": equipe.pk},
    )
    _entrer(dossier, statuts)
    dossier.refresh_from_db()
    assert (dossier.equipe, dossier.agent) == (equipe, instructeur)


def test_a_team_gone_or_inactive_rolls_back(dossier, statuts, instructeur):
    inactive = EquipeFactory(active=False)
    ActionStatutFactory(
        statut=statuts["instruction"], type="attribuer", config={"equipe": inactive.pk}
    )
    with pytest.raises(ValidationError, match="plus active"):
        _entrer(dossier, statuts, by=instructeur)
    dossier.refresh_from_db()
    assert dossier.equipe is None


def test_config_form_accepts_old_and_new_configs(db):
    type_action = actions.type_action("attribuer")
    equipe = EquipeFactory()
    ancien = type_action.form_class(data={})
    assert ancien.is_valid() and type_action.config_depuis(ancien.cleaned_data) == {"agent": None}
    form = type_action.form_class(data={"equipe": equipe.pk})
    assert form.is_valid()
    assert type_action.config_depuis(form.cleaned_data) == {"agent": None, "equipe": equipe.pk}
    assert not type_action.form_class(data={"equipe": 999999}).is_valid()


def test_decrire_with_a_team(db, instructeur):
    equipe = EquipeFactory(nom="Accueil")
    decrire = actions.type_action("attribuer")().decrire
    assert decrire({"equipe": equipe.pk}) == "Attribue le dossier à l’équipe Accueil"
    assert decrire({"equipe": equipe.pk, "agent": instructeur.pk}) == (
        f"Attribue le dossier à l’équipe Accueil et à {instructeur}"
    )
    assert decrire({"equipe": 999999}) == "Attribue le dossier à une équipe qui n’existe plus"
    assert decrire({"agent": None}) == "Attribue le dossier à l’agent qui change le statut"
