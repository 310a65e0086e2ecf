"""The demo's territories on the map, in the statistics and in routing (issue 9 —
territoires: C9, C13, C14)."""

import pytest

from accounts.models import User
from dossiers import selectors_carte as carte
from dossiers.models import Dossier, RegleRoutage
from instruction.selectors_statistiques import statistiques

pytestmark = pytest.mark.django_db


def test_demo_outlines_statistics_and_routing_by_territoire(demo):
    ines = User.objects.get(email="accueil.mairie@demo.guichet.fr")
    legende = carte.legende_territoires(ines)
    assert sorted(f["properties"]["nom"] for f in legende.geojson["features"]) == [
        "Quartier des Bords de Loire",
        "Quartier du Bourg",
    ]
    (belleville,) = [t for t in legende.territoires if t.nom == "Belleville-sur-Loire"]
    assert [s.libelle for s in belleville.non_dessines] == ["Commune 18026 – Belleville-sur-Loire"]
    # Issue 9 — suivi9: a territoire without secteurs, listed, not drawn.
    (hameaux,) = [t for t in legende.territoires if t.nom == "Quartier des Hameaux"]
    assert hameaux.secteurs == [] and hameaux.parent == "Belleville-sur-Loire"
    hugo = User.objects.get(email="solidarites.voisines@demo.guichet.fr")
    assert carte.legende_territoires(hugo).geojson["features"] == []  # postal codes only

    admin = User.objects.get(email="admin@demo.guichet.fr")
    tableau = statistiques(admin, regroupement="territoire")
    assert sum(ligne.deposes for ligne in tableau.lignes) == tableau.total.deposes > 0
    noms = {ligne.libelle for ligne in tableau.lignes}
    assert noms & {"Belleville-sur-Loire", "Quartier du Bourg", "Quartier des Bords de Loire"}

    regle = RegleRoutage.objects.get(nom="Communes voisines : antenne")
    assert regle.territoire.code == "communes-voisines" and regle.ordre == 5
    voisines = Dossier.objects.filter(territoire=regle.territoire, supprime_le__isnull=True)
    assert all(d.equipe_id == regle.equipe_id for d in voisines)
