"""The CRM dashboard's counters (issue 9's benchmark): the bannettes' per dispositif,
territoire and statut of the guide (instruction/models_compteurs.py) and the filed
dossiers per day (dossiers/models/compteurs.py), kept by PostgreSQL's triggers through
every write path, read within the agent's scope, compacted and rebuilt; and the
dashboard's reads that no longer touch the dossier table."""

import datetime
import io
import math

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers import selectors_compteurs, services_corbeille
from dossiers.models import CompteurCarte, CompteurDepots, Dossier, Justificatif
from dossiers.models.compteurs import PAS_CARTE
from dossiers.selectors import dossiers_visible_to
from instruction import selectors_tableau, services, services_compteurs
from instruction.models import CompteurBannette, SuiviInstruction
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import TerritoireFactory, donner_droits
from tests.instruction.factories import guide_publie

pytestmark = pytest.mark.django_db


def _bannettes_reelles(dossiers=None):
    dossiers = Dossier.objects.all() if dossiers is None else dossiers
    lignes = (
        dossiers.filter(statut="depose", supprime_le__isnull=True)
        .values_list("dispositif_id", "territoire_id", "suivi_instruction__statut_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(d, t, s): n for d, t, s, n in lignes}


def _bannettes_comptees(compteurs=None):
    compteurs = CompteurBannette.objects.all() if compteurs is None else compteurs
    lignes = (
        compteurs.values_list("dispositif_id", "territoire_id", "statut_id")
        .annotate(n=Sum("nombre"))
        .filter(n__gt=0)
        .order_by()
    )
    return {(d, t, s): n for d, t, s, n in lignes}


def _depots_reels():
    lignes = (
        Dossier.objects.exclude(statut="brouillon")
        .filter(supprime_le__isnull=True, depose_le__isnull=False)
        .values_list("dispositif_id", "territoire_id", "depose_le")
    )
    compte: dict = {}
    for d, t, quand in lignes:
        cle = (d, t, quand.astimezone(datetime.UTC).date())
        compte[cle] = compte.get(cle, 0) + 1
    return compte


def _depots_comptes():
    lignes = (
        CompteurDepots.objects.values_list("dispositif_id", "territoire_id", "jour")
        .annotate(n=Sum("nombre"))
        .filter(n__gt=0)
        .order_by()
    )
    return {(d, t, j): n for d, t, j, n in lignes}


def _carte_reelle():
    compte: dict = {}
    for d, t, lat, lon in (
        Dossier.objects.exclude(statut="brouillon")
        .filter(supprime_le__isnull=True, latitude__isnull=False)
        .values_list("dispositif_id", "territoire_id", "latitude", "longitude")
    ):
        cle = (d, t, math.floor(lon / PAS_CARTE), math.floor(lat / PAS_CARTE))
        compte[cle] = compte.get(cle, 0) + 1
    return compte


def _carte_comptee():
    lignes = (
        CompteurCarte.objects.values_list("dispositif_id", "territoire_id", "cx", "cy")
        .annotate(n=Sum("nombre"))
        .filter(n__gt=0)
        .order_by()
    )
    return {(d, t, x, y): n for d, t, x, y, n in lignes}


def _justes():
    assert _bannettes_comptees() == _bannettes_reelles()
    assert _depots_comptes() == _depots_reels()
    assert _carte_comptee() == _carte_reelle()


@pytest.fixture
def jeu(citizen):
    dispositif = dispositif_publie(code="SUB")
    statuts = guide_publie(dispositif)
    return dispositif, statuts, [deposer(dispositif, citizen) for _ in range(4)]


def test_the_counters_follow_every_write_path(jeu, citizen, instructeur):
    dispositif, statuts, (a, b, c, d) = jeu
    dispositif_publie(code="BRO")  # a draft counts nowhere
    _justes()
    assert _bannettes_comptees() == {(dispositif.pk, None, statuts["depose"].pk): 4}
    services.change_status(dossier=a, statut=statuts["instruction"], by=None)  # the suivi
    _justes()
    Dossier.objects.filter(pk=b.pk).update(territoire=TerritoireFactory())  # sectorised
    _justes()
    services_corbeille.dossier_mettre_a_la_corbeille(dossier=c, by=instructeur)
    _justes()
    services_corbeille.dossier_restaurer(dossier=c, by=instructeur)
    _justes()
    Dossier.objects.filter(pk=d.pk).update(statut="clos")  # closed: filed, not in progress
    _justes()
    for dossier, lat in ((c, 47.50), (d, 47.51), (c, 47.62)):  # on the map, then moved
        Dossier.objects.filter(pk=dossier.pk).update(
            donnees={"adresse": {"code_postal": "18240", "lat": lat, "lon": 2.85}}
        )
        _justes()
    assert sum(_carte_comptee().values()) == 2
    Dossier.objects.filter(pk=d.pk).update(depose_le=timezone.now() - datetime.timedelta(days=9))
    _justes()
    SuiviInstruction.objects.filter(dossier=b).delete()  # outside any guide
    _justes()
    a.delete()  # its suivi first, then the dossier (Django's cascade)
    _justes()
    Dossier.objects.filter(pk=b.pk).delete()
    _justes()
    assert _bannettes_comptees() == {(dispositif.pk, None, statuts["depose"].pk): 1}


def test_compacting_keeps_the_sums_and_rebuilding_repairs_them(jeu, citizen):
    dispositif, statuts, dossiers = jeu
    for dossier in dossiers[:3]:
        services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    avant = _bannettes_comptees(), _depots_comptes()
    assert CompteurBannette.objects.count() > len(avant[0])  # +1 / −1 rows appended
    services_compteurs.compacter()
    assert (_bannettes_comptees(), _depots_comptes()) == avant
    assert CompteurBannette.objects.count() == len(avant[0])
    assert CompteurDepots.objects.count() == len(avant[1])
    # Lost (a load with the triggers off, say): the command rebuilds them.
    CompteurBannette.objects.all().delete()
    CompteurDepots.objects.update(nombre=5)
    call_command("recompter_compteurs", stdout=io.StringIO())
    assert (_bannettes_comptees(), _depots_comptes()) == avant
    _justes()


def test_the_counters_are_read_within_the_agents_scope(jeu, citizen):
    dispositif, statuts, (a, b, c, _d) = jeu
    autre = dispositif_publie(code="AUT")
    guide_publie(autre)
    e = deposer(autre, citizen)
    ici, ailleurs = TerritoireFactory(), TerritoireFactory()
    Dossier.objects.filter(pk__in=[a.pk, b.pk, e.pk]).update(territoire=ici)
    Dossier.objects.filter(pk=c.pk).update(territoire=ailleurs)
    restreint = UserFactory(email="restreint@exemple.fr", agent=True)
    donner_droits(restreint, "voir", dispositifs=[dispositif], territoires=[ici])
    compteurs = selectors_compteurs.dans_la_portee(CompteurBannette.objects.all(), restreint)
    assert _bannettes_comptees(compteurs) == _bannettes_reelles(dossiers_visible_to(restreint))
    assert sum(_bannettes_comptees(compteurs).values()) == 2  # a and b
    (bannette,) = selectors_tableau.bannettes(restreint)["bannettes"]
    assert (bannette.dispositif_id, bannette.total) == (dispositif.pk, 2)
    sans_droit = UserFactory(email="sans-droit@exemple.fr", agent=True)
    assert not selectors_compteurs.dans_la_portee(CompteurBannette.objects.all(), sans_droit)
    assert selectors_tableau.dispositifs(sans_droit)["dispositifs"] == []


def test_recent_filings_are_counted_by_day(jeu, instructeur):
    dispositif, _statuts, (a, *_reste) = jeu
    Dossier.objects.filter(pk=a.pk).update(
        statut="clos", depose_le=timezone.now() - datetime.timedelta(days=10)
    )
    aujourdhui = timezone.now().astimezone(datetime.UTC).date()
    debut = aujourdhui - datetime.timedelta(days=6)
    assert selectors_compteurs.depots_depuis(instructeur, debut) == {dispositif.pk: 3}
    assert selectors_compteurs.depots_depuis(
        instructeur, aujourdhui - datetime.timedelta(days=20)
    ) == {dispositif.pk: 4}
    assert selectors_tableau.dispositifs(instructeur)["dispositifs"] == [
        {
            "dispositif_id": dispositif.pk,
            "dispositif__titre": dispositif.titre,
            "en_cours": 3,
            "recents": 3,
        }
    ]


def test_the_bannettes_and_dispositifs_never_read_the_dossiers(jeu, instructeur):
    """What made the dashboard grow with the data (hundreds of thousands of dossiers in
    progress counted at every request) is gone: their queries read counters only."""
    selectors_tableau.bannettes(instructeur)  # the scope, read once per request
    with CaptureQueriesContext(connection) as capture:
        selectors_tableau.bannettes(instructeur)
        selectors_tableau.dispositifs(instructeur)
    assert capture.captured_queries
    for requete in capture.captured_queries:
        assert '"dossiers_dossier"' not in requete["sql"], requete["sql"]


def test_late_and_resent_pieces_walk_their_indexes(jeu, instructeur):
    """« En retard » reads the dossier's own échéance on (tri_echeance, id); « justificatifs
    renvoyés » its partial index: the first rows of an index, not every late dossier
    or every justificatif sorted (sorts and sequential scans priced out, as at scale)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    en_retard = selectors_tableau._en_cours(instructeur).filter(tri_echeance__lte=timezone.now())
    plan = en_retard.order_by("tri_echeance", "pk")[:8].explain()
    assert "dossier_liste_echeance" in plan, plan
    renvoyes = Justificatif.objects.filter(
        statut=Justificatif.Statut.RECU,
        decide_le__isnull=False,
        recu_le__gt=F("decide_le"),
    ).order_by("-recu_le", "-pk")[:8]
    assert "justificatif_renvoye" in renvoyes.explain()
