"""Documents deposited in the citizen's space (issue 6): listed on « Mon compte » and
downloaded by the citizen whose dossier they were produced for, by nobody else."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pypdf import PdfReader

from dossiers import editique as dossiers_editique
from editique import services as editique_services
from tests.editique.factories import ModeleDocumentFactory, dossier_depose
from tests.queries import BUDGET_MON_COMPTE, assert_page_budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_depose()
    dossier.cree_par = citizen
    dossier.save()
    return dossier


def _produire(dossier, *, deposer=True):
    modele = ModeleDocumentFactory(deposer_usager=deposer)
    editique_services.modele_publier(modele=modele, par=None)
    return dossiers_editique.document_generer(dossier=dossier, modele=modele)


def test_deposited_documents_are_listed_and_downloaded_by_their_citizen(
    client, citizen, other_citizen, dossier
):
    depose = _produire(dossier)
    interne = _produire(dossier, deposer=False)
    client.force_login(citizen)
    page = client.get(reverse("portal:account")).content.decode()
    assert "Mes documents" in page and depose.titre in page
    assert reverse("portal:document", args=[interne.pk]) not in page
    reponse = client.get(reverse("portal:document", args=[depose.pk]))
    texte = PdfReader(io.BytesIO(b"".join(reponse.streaming_content))).pages[0].extract_text()
    assert dossier.reference in texte
    assert client.get(reverse("portal:document", args=[interne.pk])).status_code == 404
    client.force_login(other_citizen)
    assert client.get(reverse("portal:document", args=[depose.pk])).status_code == 404


def test_account_budget_does_not_grow_with_documents(client, citizen, dossier):
    _produire(dossier)
    client.force_login(citizen)
    client.get(reverse("portal:account"))  # the first visit creates the personal profile
    assert_page_budget(
        client,
        reverse("portal:account"),
        budget=BUDGET_MON_COMPTE,
        grow=lambda: [_produire(dossier) for _ in range(3)],
    )


def test_a_citizen_never_reaches_another_citizens_document(client, citizen, other_citizen, dossier):
    """Every URL that serves, previews or produces a generated document, tried by a
    citizen who is not the dossier's: the portal answers 404, the CRM 403 — even when
    the citizen was wrongly granted the template designers' permission (the CRM needs an
    agent first)."""
    depose = _produire(dossier)
    modele = depose.modele
    other_citizen.user_permissions.add(
        Permission.objects.get(codename="concevoir_modeles", content_type__app_label="editique")
    )
    client.force_login(other_citizen)
    assert client.get(reverse("portal:document", args=[depose.pk])).status_code == 404
    page = client.get(reverse("portal:account")).content.decode()
    assert depose.titre not in page
    tentatives = [
        ("get", reverse("crm:editique_document", args=[depose.pk]), {}),
        (
            "get",
            reverse("crm:editique_apercu_fichier", args=[modele.pk, "pdf"]),
            {"objet": dossier.pk},
        ),
        ("post", reverse("crm:editique_apercu", args=[modele.pk]), {"objet": dossier.pk}),
        ("post", reverse("crm:editique_produire", args=[modele.pk]), {"objet": dossier.pk}),
    ]
    for methode, url, donnees in tentatives:
        reponse = getattr(client, methode)(url, donnees)
        assert reponse.status_code == 403, url
        assert b"%PDF" not in b"".join(getattr(reponse, "streaming_content", [reponse.content]))
    assert dossiers_editique.documents(dossier).count() == 1  # nothing was produced
