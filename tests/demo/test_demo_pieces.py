"""The demo's CCAS aid (ASF) asks its pieces inside the wizard: the demo citizen uploads
the income statements at their step and the filed dossier has them « reçu »."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from dossiers.models import Dispositif, Dossier, Justificatif
from tests.common import fichiers
from tests.demo.test_formulaires_commune import REPONSES

pytestmark = pytest.mark.django_db


def test_the_demo_citizen_uploads_a_piece_in_the_ccas_aid_wizard(demo, client):
    client.force_login(User.objects.get(email="usager@demo.guichet.fr"))
    dispositif = Dispositif.objects.get(code="ASF")
    url = reverse("portal:demande", kwargs={"slug": dispositif.slug})
    vu = False
    for _etape in range(10):
        body = client.get(url).content.decode()
        pieces = {}
        if 'name="justificatifs_ressources"' in body:
            vu = True
            assert 'enctype="multipart/form-data"' in body
            assert "Justificatifs de ressources" in body and "fr-upload-group" in body
            pieces["justificatifs_ressources"] = SimpleUploadedFile("bulletins.pdf", fichiers.pdf())
        derniere = "Déposer ma demande" in body
        action = "deposer" if derniere else "suivant"
        response = client.post(url, {"guichet-action": action, **REPONSES["ASF"], **pieces})
        assert response.status_code == 302, response.content.decode()[:3000]
        if derniere:
            break
    assert vu
    dossier = Dossier.objects.filter(dispositif=dispositif).latest("pk")
    ressources = dossier.justificatifs.get(type__code="justificatif-ressources")
    assert ressources.statut == Justificatif.Statut.RECU
    assert ressources.versions.get().nom == "bulletins.pdf"
