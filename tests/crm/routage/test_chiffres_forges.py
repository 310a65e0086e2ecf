"""A forged page number posted with « Ne plus suivre » brings the list back, never a 500."""

import pytest
from django.urls import reverse

from dossiers import services_routage
from dossiers.models import SuiviAgent
from tests.crm.dossiers.conftest import deposer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("valeur", ["²", "١", "99999999999999999999", "-1", "1e3"])
def test_forged_page_when_stopping_to_follow(client, instructeur, citizen, dispositif, valeur):
    dossier = deposer(dispositif, citizen)
    services_routage.dossier_suivre(dossier=dossier, agent=instructeur)
    client.force_login(instructeur)
    url = reverse("crm:mes_suivis_ne_plus_suivre", args=[dossier.pk])
    reponse = client.post(url, {"page": valeur})
    assert reponse.status_code == 302 and reponse["Location"] == reverse("crm:mes_suivis")
    assert not SuiviAgent.objects.filter(dossier=dossier).exists()
    reponse = client.post(url, {"page": valeur}, HTTP_HX_REQUEST="true")
    assert reponse.status_code == 200
