"""Issue 9 — tableau in the demo: profils métier with different dashboards, the accueil
agent's dashboard is her profil's with her « Favoris », and she only reads most of the
dossiers she sees (no action offered on them). Idempotent."""

import pytest

from accounts import services_tableau
from accounts.models import User
from dossiers import selectors_routage
from dossiers.models import ProfilMetier, SuiviAgent
from dossiers.selectors import dossiers_visible_to
from dossiers.selectors_droits import droits_sur

pytestmark = pytest.mark.django_db


def test_demo_dashboards_per_profil_and_favoris(demo):
    tableaux = dict(ProfilMetier.objects.values_list("code", "tableau_de_bord"))
    assert tableaux["agent-accueil"] == ["favoris", "taches", "dispositifs"]
    assert len({tuple(t) for t in tableaux.values()}) == len(tableaux)  # all different
    ines = User.objects.get(email="accueil.mairie@demo.guichet.fr")
    assert services_tableau.codes_du_tableau(ines) == ["favoris", "taches", "dispositifs"]
    assert SuiviAgent.objects.filter(agent=ines).count() == 2
    assert selectors_routage.favoris(ines)["nombre"] == 2
    # She reads dossiers she may not instruct: the pages hide their actions.
    lus = [
        d for d in dossiers_visible_to(ines) if not droits_sur(ines, d.dispositif_id)["instruire"]
    ]
    assert lus
