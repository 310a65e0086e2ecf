"""Document templates in the CRM: edit, live preview on a sample or a dossier, problems
named with their line, publish, produce on a dossier, download."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from editique.models import DocumentGenere, ModeleDocument
from tests.editique.factories import CORPS, ModeleDocumentFactory, dossier_depose
from tests.queries import assert_page_budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_redacteur(client, concepteur, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(concepteur)
    return client


def _donnees(modele, **changes):
    donnees = {
        "nom": modele.nom,
        "code": modele.code,
        "description": "",
        "contexte": modele.contexte,
        "cible": modele.cible,
        "corps": modele.corps,
        "entete": modele.entete,
        "pied": modele.pied,
        "orientation": modele.orientation,
        "marge_mm": modele.marge_mm,
        "logo": "on",
        "actif": "on",
    }
    return {**donnees, **changes}


def test_list_has_a_fixed_query_budget(client_redacteur):
    ModeleDocumentFactory()
    assert_page_budget(
        client_redacteur,
        reverse("crm:editique"),
        budget=8,
        grow=lambda: [ModeleDocumentFactory() for _ in range(5)],
    )


def test_create_then_edit_page_shows_variables_and_sample_preview(client_redacteur):
    dossier = dossier_depose()
    reponse = client_redacteur.post(
        reverse("crm:editique_creer"),
        {
            **_donnees(
                ModeleDocument(), nom="Accusé", code="accuse", cible=dossier.dispositif.slug
            ),
            "contexte": "dossier",
            "corps": CORPS,
        },
    )
    modele = ModeleDocument.objects.get(code="accuse")
    assert reponse.url == reverse("crm:editique_modele", args=[modele.pk])
    page = client_redacteur.get(reponse.url).content.decode()
    assert "dossier.champs.depenses" in page  # the variables list
    assert "element.cout" in page
    assert "Aucun problème" in page
    assert "Salle équipée demandée." in page  # the sample's yes/no is True


def test_bad_input_keeps_what_was_typed(client_redacteur):
    modele = ModeleDocumentFactory()
    reponse = client_redacteur.post(
        reverse("crm:editique_modele", args=[modele.pk]),
        _donnees(modele, nom="", corps="<p>Mon texte {{ dossier.reference }}</p>", marge_mm="2"),
    )
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Mon texte {{ dossier.reference }}" in contenu
    assert "Ce champ est obligatoire" in contenu
    modele.refresh_from_db()
    assert "Mon texte" not in modele.corps


def test_live_preview_on_a_dossier_and_problems_with_their_line(client_redacteur):
    dossier = dossier_depose()
    modele = ModeleDocumentFactory(cible=dossier.dispositif.slug)
    url = reverse("crm:editique_apercu", args=[modele.pk])
    reponse = client_redacteur.post(
        url, {**_donnees(modele, corps=CORPS), "objet": dossier.pk}, HTTP_HX_REQUEST="true"
    )
    contenu = reponse.content.decode()
    assert "<html" not in contenu  # the partial
    assert f"Aperçu sur le dossier {dossier.reference}" in contenu
    assert "Salle nue." in contenu and "Madame Léa Durand" in contenu
    reponse = client_redacteur.post(
        url,
        _donnees(modele, corps="<p>a</p>\n<p>{{ dossier.champs.montnt }}</p>"),
        HTTP_HX_REQUEST="true",
    )
    contenu = reponse.content.decode()
    assert "Corps — Ligne 2 : Variable inconnue « dossier.champs.montnt »" in contenu
    assert "Vouliez-vous dire « montant » ?" in contenu
    # Nothing was saved by the preview.
    modele.refresh_from_db()
    assert "montnt" not in modele.corps
    # Without htmx: a full page.
    assert "<html" in client_redacteur.post(url, _donnees(modele)).content.decode()


def test_publish_refused_then_accepted_then_produce_and_download(client_redacteur, concepteur):
    dossier = dossier_depose()
    modele = ModeleDocumentFactory(
        cible=dossier.dispositif.slug, corps="<p>{{ agent.password }}</p>"
    )
    publier = reverse("crm:editique_publier", args=[modele.pk])
    page = client_redacteur.post(publier, follow=True).content.decode()
    assert "Publication refusée" in page and "agent.password" in page
    assert not modele.versions.exists()

    modele.corps = CORPS
    modele.save()
    page = client_redacteur.post(publier, follow=True).content.decode()
    assert "Version 1 publiée." in page

    reponse = client_redacteur.post(
        reverse("crm:editique_produire", args=[modele.pk]),
        {"objet": dossier.pk, "format": "pdf"},
        follow=True,
    )
    assert "est produit et rangé dans le dossier" in reponse.content.decode()
    document = DocumentGenere.objects.get()
    assert document.objet == dossier and document.cree_par == concepteur
    telechargement = client_redacteur.get(reverse("crm:editique_document", args=[document.pk]))
    contenu = b"".join(telechargement.streaming_content)
    assert telechargement["Content-Disposition"].startswith("attachment")
    texte = PdfReader(io.BytesIO(contenu)).pages[0].extract_text()
    assert dossier.reference in texte and "Salle nue." in texte


def test_preview_files_pdf_and_docx(client_redacteur):
    dossier = dossier_depose()
    modele = ModeleDocumentFactory(cible=dossier.dispositif.slug, corps=CORPS)
    pdf = client_redacteur.get(
        reverse("crm:editique_apercu_fichier", args=[modele.pk, "pdf"]), {"objet": dossier.pk}
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert dossier.reference in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    docx = client_redacteur.get(reverse("crm:editique_apercu_fichier", args=[modele.pk, "docx"]))
    assert docx.content.startswith(b"PK")
    assert (
        client_redacteur.get(
            reverse("crm:editique_apercu_fichier", args=[modele.pk, "odt"])
        ).status_code
        == 404
    )
    # A draft that cannot render: a message, never a 500.
    modele.corps = "{{ inconnu }}"
    modele.save()
    reponse = client_redacteur.get(
        reverse("crm:editique_apercu_fichier", args=[modele.pk, "pdf"]), follow=True
    )
    assert "Aperçu impossible" in reponse.content.decode()
