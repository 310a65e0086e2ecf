"""Issue 9 — terr: the demo's agent still assigned to dossiers he may no longer
instruct (demo/agent_sans_droit.py)."""

import pytest

from accounts.models import User
from demo.agent_sans_droit import EMAIL
from dossiers.models import Dossier, DroitDispositif
from dossiers.selectors import dossiers_visible_to
from dossiers.selectors_droits import agents_pour_attribuer, peut_instruire

pytestmark = pytest.mark.django_db


def test_julien_keeps_two_skip_requests_he_may_only_read(demo, client):
    julien = User.objects.get(email=EMAIL)
    dossiers = list(Dossier.objects.filter(agent=julien))
    assert len(dossiers) == 2
    assert {d.dispositif.slug for d in dossiers} == {"mise-a-disposition-benne"}
    # He moved from the services techniques to the front desk, which only reads them.
    assert set(julien.profils_metier.values_list("code", flat=True)) == {"agent-accueil"}
    droit = DroitDispositif.objects.get(
        profil_metier__code="agent-accueil", dispositif__slug="mise-a-disposition-benne"
    )
    assert droit.voir and not droit.instruire
    for dossier in dossiers:
        assert dossier.clos_le is None
        assert not peut_instruire(julien, dossier)
        assert dossier.pk in set(dossiers_visible_to(julien).values_list("pk", flat=True))
        offerts = {a.pk: a.peut_instruire for a in agents_pour_attribuer(dossier)}
        assert offerts[julien.pk] is False
        assert any(offerts.values())  # an entitled agent to give it to
        assert dossier.historique.filter(libelle="Dossier attribué à Julien Roux").exists()
    # He logs in with the demo password; the load prints his address.
    assert client.login(email=EMAIL, password="Guichet-demo-2026")
    assert EMAIL in demo.sortie
