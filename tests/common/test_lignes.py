"""common.lignes: the rows read, written and locked with SQL built once are the ORM's —
the same values (JSON decoded, relations by key), the same writes (auto_now, defaults),
get_or_create's answer with ON CONFLICT, and a queryset's SQL reused with new values."""

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from common import lignes
from dossiers.models import Conversation, Dossier, Historique
from tests.crm.dossiers.conftest import deposer, dispositif_publie

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(citizen):
    return deposer(dispositif_publie(code="LGN"), citizen)


def test_lire_gives_what_the_orm_gives(dossier):
    Dossier.objects.filter(pk=dossier.pk).update(donnees={"a": [1, {"b": "é"}]})
    orm = Dossier.objects.get(pk=dossier.pk)
    with CaptureQueriesContext(connection) as requetes:
        lu = lignes.lire(Dossier, dossier.pk, verrou=True)
    assert len(requetes) == 1 and requetes[0]["sql"].endswith("FOR UPDATE")
    for champ in Dossier._meta.concrete_fields:
        assert getattr(lu, champ.attname) == getattr(orm, champ.attname), champ.name
    assert lu.donnees == {"a": [1, {"b": "é"}]}
    assert not lu._state.adding and lu._state.db == "default"
    with pytest.raises(Dossier.DoesNotExist):
        lignes.lire(Dossier, 0)


def test_rafraichir_reads_the_named_fields_and_drops_a_stale_relation(dossier, agent):
    dossier.agent  # noqa: B018 - the relation cached (None)
    Dossier.objects.filter(pk=dossier.pk).update(agent=agent, donnees={"x": 1}, reference="Z")
    lignes.rafraichir(dossier, champs=["agent", "donnees"])
    assert dossier.agent == agent and dossier.donnees == {"x": 1}
    assert dossier.reference != "Z"  # not named: left as it was


def test_inserer_and_ecrire_write_what_save_writes(dossier, agent):
    ligne = lignes.inserer(Historique(dossier=dossier, par=agent, nature="autre", libelle="L"))
    lu = Historique.objects.get(pk=ligne.pk)
    assert (lu.libelle, lu.par, lu.details, lu.visible_usager) == ("L", agent, {}, False)
    assert lu.quand is not None  # the field's default, as save() writes it
    avant = Dossier.objects.get(pk=dossier.pk).updated_at
    dossier.donnees = {"y": 2}
    lignes.ecrire(dossier, ["donnees", "updated_at"])
    lu = Dossier.objects.get(pk=dossier.pk)
    assert lu.donnees == {"y": 2} and lu.updated_at > avant  # auto_now, as save() sets it
    dossier.pk = 0
    with pytest.raises(DatabaseError):
        lignes.ecrire(dossier, ["donnees"])


def test_inserer_on_conflict_is_get_or_create_without_its_savepoints(dossier, agent):
    def nouvelle():
        return Conversation(dossier=dossier, ouverte=True, ouverte_le=dossier.created_at)

    with CaptureQueriesContext(connection) as requetes:
        premiere = lignes.inserer(nouvelle(), conflit="dossier")
    assert premiere is not None and premiere.pk and len(requetes) == 1
    assert lignes.inserer(nouvelle(), conflit="dossier") is None
    assert Conversation.objects.filter(dossier=dossier).count() == 1


def test_existe_reuses_the_sql_with_new_values(dossier, citizen, agent):
    autre = deposer(dispositif_publie(code="LG2"), citizen)
    Dossier.objects.filter(pk=autre.pk).update(agent=agent)

    def construire(pk, agent):
        return Dossier.objects.filter(pk=pk, agent_id=agent)

    cle = ("test_lignes", "dossier d’un agent")
    assert lignes.existe(cle, construire, pk=autre.pk, agent=agent.pk)
    with CaptureQueriesContext(connection) as requetes:
        assert not lignes.existe(cle, construire, pk=dossier.pk, agent=agent.pk)
        assert lignes.existe(cle, construire, pk=autre.pk, agent=agent.pk)
    assert len(requetes) == 2
    with pytest.raises(ValueError, match="not a parameter"):
        lignes.existe(("test_lignes", "sans"), lambda pk: Dossier.objects.all(), pk=1)


def test_many_rows_in_one_statement_write_what_save_writes(citizen, agent):
    dispositif = dispositif_publie(code="LGL")
    dossiers = [deposer(dispositif, citizen) for _ in range(3)]
    lignes_historique = [
        Historique(
            dossier=d,
            par=agent if i else None,
            nature="autre",
            libelle=f"L{i}",
            details={"i": i, "é": [i]},
        )
        for i, d in enumerate(dossiers)
    ]
    with CaptureQueriesContext(connection) as requetes:
        inseres = lignes.inserer_lot(lignes_historique)
    assert len(requetes) == 1 and inseres == lignes_historique
    for i, ligne in enumerate(lignes_historique):
        lu = Historique.objects.get(pk=ligne.pk)  # each instance got its own row's pk
        assert (lu.dossier_id, lu.libelle, lu.details) == (dossiers[i].pk, f"L{i}", ligne.details)
        assert lu.par_id == (agent.pk if i else None) and lu.quand is not None
    assert lignes.inserer_lot([]) == []

    avant = Dossier.objects.get(pk=dossiers[0].pk).updated_at
    for i, dossier in enumerate(dossiers):
        dossier.donnees = {"n": i}
    with CaptureQueriesContext(connection) as requetes:
        lignes.ecrire_lot(dossiers, ["donnees", "updated_at"])
    assert len(requetes) == 1
    lus = Dossier.objects.in_bulk([d.pk for d in dossiers])
    assert [lus[d.pk].donnees for d in dossiers] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert lus[dossiers[0].pk].updated_at > avant  # auto_now, as save() sets it
    dossiers[1].pk = 0
    with pytest.raises(DatabaseError):
        lignes.ecrire_lot(dossiers, ["donnees"])


def test_many_rows_on_conflict_leave_the_existing_ones_unsaved(citizen):
    dispositif = dispositif_publie(code="LGC")
    premier, second = deposer(dispositif, citizen), deposer(dispositif, citizen)
    existante = lignes.inserer(
        Conversation(dossier=premier, ouverte=True, ouverte_le=premier.created_at)
    )
    nouvelles = [
        Conversation(dossier=d, ouverte=True, ouverte_le=d.created_at) for d in (premier, second)
    ]
    inseres = lignes.inserer_lot(nouvelles, conflit="dossier")
    assert inseres == [nouvelles[1]] and nouvelles[0].pk is None
    assert Conversation.objects.get(dossier=second).pk == nouvelles[1].pk
    assert Conversation.objects.get(dossier=premier).pk == existante.pk
