"""The Justificatifs tabs (portal and CRM), the file views and the profil documents:
access, bad input next to the field, query budgets independent of the data's size."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers import services_justificatifs as services
from dossiers.models import Justificatif
from tests.common import fichiers
from tests.dossiers.justificatifs import dispositif_avec_pieces, dossier_depose
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db
Statut = Justificatif.Statut


@pytest.fixture
def dossier(citizen):
    return dossier_depose(citizen)


def piece(dossier, code="domicile"):
    return dossier.justificatifs.select_related("type", "dossier").get(type__code=code)


def url(dossier):
    return reverse("portal:dossier_justificatifs", args=[dossier.pk])


def test_the_tab_lists_the_pieces_with_their_status_and_upload_form(client, citizen, dossier):
    client.force_login(citizen)
    response = client.get(url(dossier))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Justificatif de domicile" in html and "RIB" in html
    assert "À fournir" in html and 'enctype="multipart/form-data"' in html
    assert "Formats acceptés : PDF." in html  # the RIB's rule
    onglet = next(o for o in response.context["onglets"] if o["code"] == "justificatifs")
    assert onglet["compteur"] == 2


def test_upload_from_the_tab_then_the_file_is_served_inline_and_sandboxed(client, citizen, dossier):
    client.force_login(citizen)
    justificatif = piece(dossier)
    response = client.post(
        url(dossier),
        {
            "action": "deposer",
            "justificatif": justificatif.pk,
            "fichier": SimpleUploadedFile("quittance.pdf", fichiers.pdf()),
            "commentaire": "Quittance de loyer",
        },
    )
    assert response.status_code == 302
    version = justificatif.versions.get()
    fichier = client.get(reverse("portal:justificatif_fichier", args=[version.pk]))
    assert fichier.status_code == 200
    assert fichier["Content-Type"] == "application/pdf"
    assert fichier["Content-Disposition"].startswith("inline")
    assert fichier["X-Content-Type-Options"] == "nosniff"
    assert fichier["Content-Security-Policy"] == "sandbox"
    assert b"".join(fichier.streaming_content) == fichiers.pdf()


def test_a_docx_is_downloaded_not_shown(client, citizen, dossier):
    justificatif = piece(dossier)
    justificatif.type.formats = ["docx"]
    justificatif.type.save()
    version = services.version_deposer(
        justificatif=justificatif,
        upload=SimpleUploadedFile("attestation.docx", fichiers.docx()),
        user=citizen,
    )
    client.force_login(citizen)
    fichier = client.get(reverse("portal:justificatif_fichier", args=[version.pk]))
    assert fichier["Content-Disposition"].startswith("attachment")
    assert "Content-Security-Policy" not in fichier
    b"".join(fichier.streaming_content)


def test_a_bad_file_is_refused_next_to_its_field_and_the_comment_kept(client, citizen, dossier):
    client.force_login(citizen)
    justificatif = piece(dossier)
    response = client.post(
        url(dossier),
        {
            "action": "deposer",
            "justificatif": justificatif.pk,
            "fichier": SimpleUploadedFile("domicile.pdf", fichiers.pdf_chiffre()),
            "commentaire": "Mon commentaire",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="fichier-{justificatif.pk}-erreur"' in html
    assert "protégé par un mot de passe" in html
    assert "Mon commentaire</textarea>" in html
    assert not justificatif.versions.exists()


def test_other_citizens_reach_neither_the_tab_nor_the_files(
    client, citizen, other_citizen, dossier
):
    version = services.version_deposer(
        justificatif=piece(dossier),
        upload=SimpleUploadedFile("d.pdf", fichiers.pdf()),
        user=citizen,
    )
    client.force_login(other_citizen)
    assert client.get(url(dossier)).status_code == 404
    assert client.get(reverse("portal:justificatif_fichier", args=[version.pk])).status_code == 404
    # Nor a piece of their own dossier posted to another's page.
    autre = dossier_depose(other_citizen, dispositif=dossier.dispositif)
    response = client.post(
        url(autre),
        {
            "action": "deposer",
            "justificatif": piece(dossier).pk,
            "fichier": SimpleUploadedFile("d.pdf", fichiers.pdf()),
        },
    )
    assert response.status_code == 404


def test_a_piece_hidden_from_the_citizen_is_neither_listed_nor_served(client, citizen, dossier):
    justificatif = piece(dossier)
    version = services.version_deposer(
        justificatif=justificatif, upload=SimpleUploadedFile("d.pdf", fichiers.pdf()), user=citizen
    )
    Justificatif.objects.filter(pk=justificatif.pk).update(visible_usager=False)
    client.force_login(citizen)
    assert "Justificatif de domicile" not in client.get(url(dossier)).content.decode()
    assert client.get(reverse("portal:justificatif_fichier", args=[version.pk])).status_code == 404


def test_portal_tab_budget_is_independent_of_the_number_of_pieces(
    client, citizen, django_assert_max_num_queries
):
    dispositif = dispositif_avec_pieces()
    petit = dossier_depose(citizen, dispositif=dispositif)
    grand = dossier_depose(citizen, dispositif=dispositif)
    domicile = piece(grand).type
    for _ in range(6):
        services.justificatif_demander(dossier=grand, type_justificatif=domicile, agent=None)
    for justificatif in grand.justificatifs.select_related("type", "dossier"):
        services.version_deposer(
            justificatif=justificatif,
            upload=SimpleUploadedFile("d.pdf", fichiers.pdf()),
            user=citizen,
        )
    client.force_login(citizen)
    client.get(url(petit))  # the session's first read is cached
    with django_assert_max_num_queries(14) as petit_compte:
        client.get(url(petit))
    with django_assert_max_num_queries(len(petit_compte.captured_queries)):
        assert client.get(url(grand)).status_code == 200


# --- CRM ---------------------------------------------------------------------------------


def crm_url(dossier):
    return reverse("crm:dossier_justificatifs", args=[dossier.pk])


def test_an_agent_without_the_instruction_right_gets_404(client, agent, dossier):
    client.force_login(agent)
    assert client.get(crm_url(dossier)).status_code == 404


def test_the_instructeur_refuses_with_a_comment_then_validates(
    client, citizen, instructeur, dossier
):
    justificatif = piece(dossier)
    version = services.version_deposer(
        justificatif=justificatif, upload=SimpleUploadedFile("d.pdf", fichiers.pdf()), user=citizen
    )
    client.force_login(instructeur)
    page = client.get(crm_url(dossier))
    assert page.status_code == 200 and "d.pdf" in page.content.decode()
    onglet = next(o for o in page.context["onglets"] if o["code"] == "justificatifs")
    assert onglet["compteur"] == 1
    fichier = client.get(reverse("crm:dossier_justificatif_fichier", args=[dossier.pk, version.pk]))
    assert fichier.status_code == 200
    b"".join(fichier.streaming_content)
    # A refusal without a comment: said next to the field.
    response = client.post(
        crm_url(dossier), {"action": "refuser", "justificatif": justificatif.pk, "commentaire": ""}
    )
    assert response.status_code == 400
    assert "Indiquez à l’usager pourquoi" in response.content.decode()
    response = client.post(
        crm_url(dossier),
        {"action": "refuser", "justificatif": justificatif.pk, "commentaire": "Illisible"},
    )
    assert response.status_code == 302
    justificatif.refresh_from_db()
    assert justificatif.statut == Statut.REFUSE
    # The citizen reads the comment.
    client.force_login(citizen)
    assert "Illisible" in client.get(url(dossier)).content.decode()


def test_the_instructeur_requests_a_piece_and_toggles_visibility(client, instructeur, dossier):
    client.force_login(instructeur)
    rib = piece(dossier, "rib")
    response = client.post(
        crm_url(dossier),
        {"action": "demander", "type": rib.type_id, "obligatoire": "on", "commentaire": "Un autre"},
    )
    assert response.status_code == 302
    assert dossier.justificatifs.filter(type=rib.type).count() == 2
    response = client.post(
        crm_url(dossier),
        {"action": "visibilite", "justificatif": rib.pk, "visible_partenaire": "on"},
    )
    assert response.status_code == 302
    rib.refresh_from_db()
    assert not rib.visible_usager and rib.visible_partenaire
    response = client.post(crm_url(dossier), {"action": "demander", "type": "999999"})
    assert response.status_code == 400


def test_a_version_of_another_dossier_is_not_served_by_this_dossier_url(
    client, citizen, instructeur, dossier
):
    autre = dossier_depose(citizen, dispositif=dossier.dispositif)
    version = services.version_deposer(
        justificatif=piece(autre), upload=SimpleUploadedFile("d.pdf", fichiers.pdf()), user=citizen
    )
    client.force_login(instructeur)
    response = client.get(
        reverse("crm:dossier_justificatif_fichier", args=[dossier.pk, version.pk])
    )
    assert response.status_code == 404


def test_crm_tab_budget_is_independent_of_the_number_of_pieces(
    client, citizen, instructeur, django_assert_max_num_queries
):
    dispositif = dispositif_avec_pieces()
    petit = dossier_depose(citizen, dispositif=dispositif)
    grand = dossier_depose(citizen, dispositif=dispositif)
    domicile = piece(grand).type
    for _ in range(6):
        services.justificatif_demander(dossier=grand, type_justificatif=domicile, agent=None)
    for justificatif in grand.justificatifs.select_related("type", "dossier"):
        services.version_deposer(
            justificatif=justificatif,
            upload=SimpleUploadedFile("d.pdf", fichiers.pdf()),
            user=citizen,
        )
    client.force_login(instructeur)
    client.get(crm_url(petit))
    with django_assert_max_num_queries(14) as petit_compte:
        client.get(crm_url(petit))
    with django_assert_max_num_queries(len(petit_compte.captured_queries)):
        assert client.get(crm_url(grand)).status_code == 200


# --- Profil documents ---------------------------------------------------------------------


@pytest.fixture
def association(citizen):
    individu = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    profil = ProfilFactory(nom="Les Amis du Parc")
    MembreFactory(individu=individu, profil=profil, role=role("responsable"))
    return profil


def test_a_responsable_adds_a_profil_document_offered_in_a_new_dossier(
    client, citizen, association
):
    dispositif = dispositif_avec_pieces()
    client.force_login(citizen)
    page = client.get(reverse("portal:profil_detail", args=[association.pk]))
    assert "Documents du profil" in page.content.decode()
    domicile = piece(dossier_depose(citizen, dispositif=dispositif)).type
    response = client.post(
        reverse("portal:profil_document", args=[association.pk]),
        {"type": domicile.pk, "fichier": SimpleUploadedFile("siege.pdf", fichiers.pdf())},
    )
    assert response.status_code == 302
    dossier = dossier_depose(citizen, profil=association, dispositif=dispositif)
    html = client.get(url(dossier)).content.decode()
    assert "Reprendre « siege.pdf »" in html
    version = association.justificatifs.get().versions.get()
    response = client.post(
        url(dossier),
        {"action": "reutiliser", "justificatif": piece(dossier).pk, "version": version.pk},
    )
    assert response.status_code == 302
    assert piece(dossier).statut == Statut.RECU


def test_a_bad_profil_document_is_refused_on_the_profil_page(client, citizen, association):
    dispositif_avec_pieces()
    client.force_login(citizen)
    response = client.post(
        reverse("portal:profil_document", args=[association.pk]),
        {"type": "", "fichier": SimpleUploadedFile("vide.pdf", b"")},
    )
    assert response.status_code == 400
    assert "fr-error-text" in response.content.decode()


def test_a_plain_member_cannot_add_profil_documents(client, other_citizen, association):
    individu = compte_initialiser(user=other_citizen, prenom="Léa", nom="Petit")
    MembreFactory(individu=individu, profil=association, role=role("membre"))
    client.force_login(other_citizen)
    page = client.get(reverse("portal:profil_detail", args=[association.pk]))
    assert "Ajouter au profil" not in page.content.decode()
    response = client.post(reverse("portal:profil_document", args=[association.pk]), {})
    assert response.status_code == 403


def test_the_confirmation_page_leads_to_the_pieces_to_provide(client, citizen, dossier):
    client.force_login(citizen)
    html = client.get(reverse("portal:demande_confirmation", args=[dossier.pk])).content.decode()
    assert "Fournir mes justificatifs" in html and url(dossier) in html


def test_a_visitor_following_a_dossier_without_account_uploads_and_reads_it(client, dossier):
    from portal.dossier_page import SUIVIS_SESSION

    assert client.get(url(dossier)).status_code == 404
    session = client.session
    session[SUIVIS_SESSION] = [dossier.pk]
    session.save()
    assert client.get(url(dossier)).status_code == 200
    justificatif = piece(dossier)
    response = client.post(
        url(dossier),
        {
            "action": "deposer",
            "justificatif": justificatif.pk,
            "fichier": SimpleUploadedFile("d.png", fichiers.image("PNG")),
        },
    )
    assert response.status_code == 302
    version = justificatif.versions.get()
    assert version.depose_par is None and version.type_mime == "image/png"
    fichier = client.get(reverse("portal:justificatif_fichier", args=[version.pk]))
    assert fichier.status_code == 200 and fichier["Content-Type"] == "image/png"
    b"".join(fichier.streaming_content)


def test_an_upload_on_a_validated_piece_is_refused_with_a_message(
    client, citizen, instructeur, dossier
):
    justificatif = piece(dossier)
    services.version_deposer(
        justificatif=justificatif, upload=SimpleUploadedFile("d.pdf", fichiers.pdf()), user=citizen
    )
    services.justificatif_valider(justificatif=justificatif, agent=instructeur)
    client.force_login(citizen)
    assert f'id="fichier-{justificatif.pk}"' not in client.get(url(dossier)).content.decode()
    response = client.post(
        url(dossier),
        {
            "action": "deposer",
            "justificatif": justificatif.pk,
            "fichier": SimpleUploadedFile("d.pdf", fichiers.pdf()),
        },
    )
    assert response.status_code == 400
    assert "ne peut plus être modifié" in response.content.decode()
    assert justificatif.versions.count() == 1
