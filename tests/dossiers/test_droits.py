"""The agents' scope (C7 rights × C8 territories) behind every CRM dossier query."""

import pytest
from django.core.exceptions import ValidationError

from dossiers.models import Dossier, DroitDispositif
from dossiers.selectors import dossiers_visible_to
from dossiers.selectors_droits import descendants, portee
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import ProfilMetierFactory, TerritoireFactory, donner_droits

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde():
    """Two dispositifs, a territory tree Nord › Nord-Est, a Sud; one dossier per
    (dispositif, territoire) plus one outside any territoire."""
    sub, aide = dispositif_publie(code="SUB"), dispositif_publie(code="AID")
    nord = TerritoireFactory(nom="Nord")
    nord_est = TerritoireFactory(nom="Nord-Est", parent=nord)
    sud = TerritoireFactory(nom="Sud")
    dossiers = {}
    for dispositif in (sub, aide):
        for territoire in (nord, nord_est, sud, None):
            dossier = deposer(dispositif)
            Dossier.objects.filter(pk=dossier.pk).update(territoire=territoire)
            dossiers[(dispositif.code[:3], territoire.nom if territoire else None)] = dossier.pk
    return {
        "sub": sub,
        "aide": aide,
        "nord": nord,
        "nord_est": nord_est,
        "sud": sud,
        "dossiers": dossiers,
    }


def _visibles(agent, droit="voir"):
    return set(dossiers_visible_to(agent, droit).values_list("pk", flat=True))


def _cles(monde, pks):
    return {cle for cle, pk in monde["dossiers"].items() if pk in pks}


def test_a_profil_on_every_dispositif_without_territoire_sees_everything_filed(monde):
    agent = UserFactory(agent=True)
    donner_droits(agent)
    assert _visibles(agent) == set(monde["dossiers"].values())


def test_without_a_profil_metier_the_permission_alone_shows_nothing(monde):
    from django.contrib.auth.models import Permission

    agent = UserFactory(agent=True)
    agent.user_permissions.add(Permission.objects.get(codename="instruire_dossiers"))
    assert _visibles(agent) == set()


def test_without_the_permission_a_profil_shows_nothing(monde):
    agent = UserFactory(agent=True)
    ProfilMetierFactory(tout=True).agents.add(agent)
    assert _visibles(agent) == set()


def test_rights_per_dispositif(monde):
    agent = UserFactory(agent=True)
    donner_droits(agent, "voir", dispositifs=[monde["sub"]])
    assert _cles(monde, _visibles(agent)) == {
        ("SUB", "Nord"),
        ("SUB", "Nord-Est"),
        ("SUB", "Sud"),
        ("SUB", None),
    }
    assert _visibles(agent, "instruire") == set()


@pytest.mark.parametrize("droit", ["voir", "instruire", "configurer", "exporter", "supprimer"])
def test_each_right_is_asked_separately(monde, droit):
    agent = UserFactory(agent=True)
    donner_droits(agent, droit, dispositifs=[monde["aide"]])
    assert {d for d, _t in _cles(monde, _visibles(agent, droit))} == {"AID"}
    autres = {"instruire", "configurer", "exporter", "supprimer"} - {droit}
    for autre in autres:
        assert _visibles(agent, autre) == set(), autre
    # instruire, exporter and supprimer imply voir; configurer does not.
    attendu = droit != "configurer"
    assert bool(_visibles(agent, "voir")) is attendu


def test_the_union_of_several_profils(monde):
    agent = UserFactory(agent=True)
    donner_droits(agent, "voir", dispositifs=[monde["sub"]])
    donner_droits(agent, "instruire", dispositifs=[monde["aide"]])
    assert {d for d, _t in _cles(monde, _visibles(agent))} == {"SUB", "AID"}
    assert {d for d, _t in _cles(monde, _visibles(agent, "instruire"))} == {"AID"}


def test_a_territory_shows_its_own_and_its_sous_territoires_only(monde):
    agent = UserFactory(agent=True)
    donner_droits(agent, territoires=[monde["nord"]])
    assert _cles(monde, _visibles(agent)) == {
        ("SUB", "Nord"),
        ("SUB", "Nord-Est"),
        ("AID", "Nord"),
        ("AID", "Nord-Est"),
    }


def test_a_sous_territoire_does_not_show_its_parent(monde):
    agent = UserFactory(agent=True)
    donner_droits(agent, dispositifs=[monde["aide"]], territoires=[monde["nord_est"]])
    assert _cles(monde, _visibles(agent)) == {("AID", "Nord-Est")}


def test_superusers_see_every_filed_dossier(monde):
    admin = UserFactory(admin=True)
    brouillon = Dossier.objects.create(dispositif=monde["sub"], modele=monde["sub"].modeles.first())
    visibles = _visibles(admin, "supprimer")
    assert visibles == set(monde["dossiers"].values())
    assert brouillon.pk not in visibles


def test_the_scope_is_one_query_cached_on_the_user(monde, django_assert_num_queries):
    agent = UserFactory(agent=True)
    donner_droits(agent, dispositifs=[monde["sub"]], territoires=[monde["nord"]])
    agent = type(agent).objects.get(pk=agent.pk)
    agent.has_perm("dossiers.instruire_dossiers")  # permissions cached apart
    with django_assert_num_queries(1):
        portee(agent)
        portee(agent)
        dossiers_visible_to(agent, "instruire")


def test_the_dossier_query_is_two_literal_lists(monde):
    agent = UserFactory(agent=True)
    donner_droits(agent, dispositifs=[monde["sub"]], territoires=[monde["nord"]])
    sql = str(dossiers_visible_to(agent).query)
    assert f'"dispositif_id" IN ({monde["sub"].pk})' in sql
    assert '"territoire_id" IN (' in sql
    assert "profilmetier" not in sql and "territoire_agents" not in sql


def test_an_unknown_right_is_a_programming_error(monde):
    with pytest.raises(ValueError):
        dossiers_visible_to(UserFactory(agent=True), "tout")


def test_descendants_survive_a_cycle():
    assert descendants({1}, [(1, None), (2, 1), (3, 2), (1, 3)]) == {1, 2, 3}


def test_instruire_exporter_supprimer_imply_voir(monde):
    profil = ProfilMetierFactory(exporter=True)
    assert profil.voir is True
    droit = DroitDispositif.objects.create(
        profil_metier=profil, dispositif=monde["sub"], supprimer=True
    )
    assert droit.voir is True
    droit.voir = False
    droit.save(update_fields=["voir"])
    droit.refresh_from_db()
    assert droit.voir is True


def test_an_empty_right_row_is_refused():
    droit = DroitDispositif(profil_metier=ProfilMetierFactory())
    with pytest.raises(ValidationError):
        droit.clean()
