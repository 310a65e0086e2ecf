"""Demo saved views of the CRM dossier list (issue 9): each opens for the demo
instructeur with nothing ignored, and the shared one lists dossiers."""

import pytest

from dossiers.models import VueListe

pytestmark = pytest.mark.django_db


def test_demo_views_open_with_nothing_ignored(demo, client):
    vues = VueListe.objects.filter(agent__email__startswith="instructeur@")
    assert vues.count() == 3
    partagee = vues.get(partagee=True)
    assert any(c.startswith("champ:") for c in partagee.colonnes)
    client.force_login(partagee.agent)
    for vue in vues:
        reponse = client.get("/crm/dossiers/", {"vue": vue.pk})
        assert reponse.status_code == 200
        assert reponse.context["ignores"] == [], vue.nom
    assert client.get("/crm/dossiers/", {"vue": partagee.pk}).context["lignes"]
