"""Pieces uploaded inside the wizard (P5, P12, F9): a document field shows its upload at
its step; the file is checked and kept pending; a draft or the filing attaches it as a
received Justificatif pointing to the same stored file; profil documents are reused."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dossiers import services_justificatifs
from dossiers.models import (
    Dossier,
    Justificatif,
    PieceDeposee,
    TypeJustificatif,
    VerificationSuivi,
    VersionJustificatif,
)
from dossiers.tasks import justificatifs_fichiers_orphelins
from tests.common import fichiers
from tests.dossiers.factories import PieceDeposeeFactory
from tests.dossiers.justificatifs import dispositif_avec_piece_au_formulaire
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db
Statut = Justificatif.Statut


@pytest.fixture
def dispositif():
    return dispositif_avec_piece_au_formulaire(slug="aide", titre="Aide au logement")


@pytest.fixture
def association(citizen):
    individu = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    profil = ProfilFactory(nom="Les Amis du Parc")
    MembreFactory(individu=individu, profil=profil, role=role("responsable"))
    return profil


@pytest.fixture
def signed_in(client, citizen, association):
    client.force_login(citizen)
    session = client.session
    session["guichet_profil_courant"] = association.pk
    session.save()
    return client


def _url(dispositif):
    return reverse("portal:demande", kwargs={"slug": dispositif.slug})


def _pdf(nom="domicile.pdf"):
    return SimpleUploadedFile(nom, fichiers.pdf(), content_type="application/pdf")


def _post(client, dispositif, action="deposer", **data):
    return client.post(_url(dispositif), {"guichet-action": action, **data})


def test_the_step_shows_a_dsfr_upload_with_the_types_formats(signed_in, dispositif):
    body = signed_in.get(_url(dispositif)).content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'class="fr-upload-group' in body and 'name="domicile"' in body
    assert "Formats acceptés : PDF, JPEG, PNG. Taille maximale : 10,0\xa0Mio." in body
    assert 'accept="application/pdf,image/jpeg,image/png"' in body
    assert "guichet-piece:" not in body  # every slot filled


def test_a_piece_uploaded_at_its_step_is_received_at_filing(signed_in, dispositif, citizen):
    response = _post(signed_in, dispositif, nom="Martin", domicile=_pdf())
    dossier = Dossier.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("portal:demande_confirmation", args=[dossier.pk])
    justificatif = dossier.justificatifs.get(type__code="domicile")
    assert justificatif.statut == Statut.RECU and justificatif.recu_le is not None
    version = justificatif.versions.get()
    assert version.nom == "domicile.pdf" and version.depose_par == citizen
    assert version.fichier.name.startswith("prive/justificatifs/")
    assert version.fichier.storage.exists(version.fichier.name)
    assert not PieceDeposee.objects.exists()  # attached: only the version holds the file
    # The RIB's field was hidden (« Nom » is not « Dupont »): nothing asked.
    assert not dossier.justificatifs.filter(type__code="rib").exists()
    tab = signed_in.get(reverse("portal:dossier_justificatifs", args=[dossier.pk]))
    assert "domicile.pdf" in tab.content.decode() and "Reçu" in tab.content.decode()


def test_the_pending_upload_and_the_version_share_one_stored_file(signed_in, dispositif):
    response = _post(signed_in, dispositif, domicile=_pdf())  # « Nom » missing: shown again
    assert response.status_code == 200
    en_attente = PieceDeposee.objects.get()
    assert en_attente.fichier.name.startswith("prive/justificatifs/")
    assert "Garder le document joint : domicile.pdf" in response.content.decode()
    _post(signed_in, dispositif, nom="Martin")  # the kept choice comes from the session
    version = VersionJustificatif.objects.get()
    assert version.fichier.name == en_attente.fichier.name  # never copied
    assert version.empreinte == en_attente.empreinte and version.taille == en_attente.taille


def test_a_refused_file_keeps_what_was_typed_and_says_why(signed_in, dispositif):
    faux = SimpleUploadedFile("domicile.pdf", b"MZ\x90\x00 not a pdf at all")
    response = _post(signed_in, dispositif, nom="Martin", domicile=faux)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ce type de fichier n’est pas accepté" in body
    assert "fr-upload-group--error" in body
    assert 'value="Martin"' in body
    assert not Dossier.objects.exists() and not PieceDeposee.objects.exists()


def test_the_size_of_the_type_rule_is_checked(signed_in, dispositif):
    gros = SimpleUploadedFile("rib.pdf", fichiers.pdf(pages=200))
    response = _post(signed_in, dispositif, nom="Dupont", domicile=_pdf(), rib=gros)
    assert "Le fichier pèse" in response.content.decode() or "dépasse" in response.content.decode()
    assert not Dossier.objects.exists()
    # The accepted one is kept: the step shows it, nothing to upload again.
    assert "Garder le document joint : domicile.pdf" in response.content.decode()


def test_a_required_piece_is_asked_unless_its_field_is_hidden(signed_in, dispositif):
    response = _post(signed_in, dispositif, nom="Martin")
    assert response.status_code == 200
    assert "Joignez ce document." in response.content.decode()
    assert not Dossier.objects.exists()
    response = _post(signed_in, dispositif, nom="Dupont", domicile=_pdf())
    assert response.content.decode().count("Joignez ce document.") == 1  # the RIB now
    assert not Dossier.objects.exists()


def test_a_profil_document_is_reused_at_the_step(signed_in, dispositif, citizen, association):
    source = services_justificatifs.profil_document_deposer(
        profil=association,
        type_justificatif=TypeJustificatif.objects.get(code="domicile"),
        upload=_pdf("siege.pdf"),
        user=citizen,
    )
    body = signed_in.get(_url(dispositif)).content.decode()
    assert "Reprendre le document de votre profil : siege.pdf" in body
    response = _post(
        signed_in, dispositif, nom="Martin", **{"domicile-piece": f"reprise:{source.pk}"}
    )
    assert response.status_code == 302
    domicile = Dossier.objects.get().justificatifs.get(type__code="domicile")
    version = domicile.versions.get()
    assert domicile.statut == Statut.RECU
    assert version.reprise_de == source and version.fichier.name == source.fichier.name


def test_a_forged_choice_of_someone_elses_document_is_refused(signed_in, dispositif, other_citizen):
    autre = PieceDeposeeFactory(type__code="domicile", user=other_citizen)
    autre_profil = ProfilFactory()
    sienne = services_justificatifs.profil_document_deposer(
        profil=autre_profil,
        type_justificatif=autre.type,
        upload=_pdf("sienne.pdf"),
        user=other_citizen,
    )
    for choix in (f"depot:{autre.pk}", f"reprise:{sienne.pk}", f"version:{sienne.pk}"):
        response = _post(signed_in, dispositif, nom="Martin", **{"domicile-piece": choix})
        assert response.status_code == 200
        assert "Ce document ne peut pas être utilisé pour cette pièce." in response.content.decode()
    assert not Dossier.objects.exists()
    assert PieceDeposee.objects.get() == autre  # untouched


def test_a_draft_keeps_the_piece_and_its_resumption_shows_it(signed_in, dispositif):
    response = _post(signed_in, dispositif, action="brouillon", nom="Martin", domicile=_pdf())
    assert response.status_code == 302
    brouillon = Dossier.objects.get(statut=Dossier.Statut.BROUILLON)
    justificatif = brouillon.justificatifs.get()
    assert justificatif.statut == Statut.RECU and not PieceDeposee.objects.exists()
    signed_in.get(reverse("portal:demande_reprendre", args=[brouillon.pk]))
    body = signed_in.get(_url(dispositif)).content.decode()
    assert "Garder le document joint : domicile.pdf" in body
    assert "Retirer ce document" in body and "Ou envoyez un fichier" in body
    # Filed as it is: the same piece, not a second one nor an expected one.
    response = _post(
        signed_in,
        dispositif,
        nom="Martin",
        **{"domicile-piece": f"version:{justificatif.versions.get().pk}"},
    )
    assert response.status_code == 302
    brouillon.refresh_from_db()
    assert brouillon.statut == Dossier.Statut.DEPOSE
    assert list(brouillon.justificatifs.values_list("pk", "statut")) == [
        (justificatif.pk, Statut.RECU)
    ]


def test_a_resumed_draft_replaces_or_removes_its_piece(signed_in, dispositif):
    _post(signed_in, dispositif, action="brouillon", nom="Martin", domicile=_pdf())
    brouillon = Dossier.objects.get()
    signed_in.get(reverse("portal:demande_reprendre", args=[brouillon.pk]))
    _post(signed_in, dispositif, action="brouillon", nom="Martin", domicile=_pdf("nouveau.pdf"))
    assert [v.nom for v in VersionJustificatif.objects.filter(justificatif__dossier=brouillon)] == [
        "nouveau.pdf"
    ]
    signed_in.get(reverse("portal:demande_reprendre", args=[brouillon.pk]))
    _post(signed_in, dispositif, action="brouillon", nom="Martin", **{"domicile-piece": ""})
    assert not brouillon.justificatifs.exists()


def test_filing_without_an_account_attaches_the_piece(client):
    sans_compte = dispositif_avec_piece_au_formulaire(
        slug="acte", depot_sans_compte=True, suivi_verification=VerificationSuivi.DATE_NAISSANCE
    )
    url = reverse("portal:demande_sans_compte", kwargs={"slug": sans_compte.slug})
    body = client.get(url).content.decode()
    assert 'name="domicile"' in body and "Reprendre" not in body
    response = client.post(url, {"guichet-action": "suivant", "nom": "Durand", "domicile": _pdf()})
    coordonnees = reverse("portal:demande_sans_compte_coordonnees", kwargs={"slug": "acte"})
    assert response.status_code == 302 and response["Location"] == coordonnees
    response = client.post(
        coordonnees,
        {
            "email": "jeanne@exemple.fr",
            "email_confirmation": "jeanne@exemple.fr",
            "verification": "1985-07-14",
            "nom": "Durand",
            "prenom": "Jeanne",
            "consentement": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    justificatif = Dossier.objects.get().justificatifs.get(type__code="domicile")
    assert justificatif.statut == Statut.RECU and justificatif.versions.get().depose_par is None


def test_pending_uploads_never_attached_go_after_a_day(db):
    vieille = PieceDeposeeFactory(created_at=timezone.now() - datetime.timedelta(days=2))
    recente = PieceDeposeeFactory()
    stockage = vieille.fichier.storage
    nom = vieille.fichier.name
    justificatifs_fichiers_orphelins()
    assert list(PieceDeposee.objects.all()) == [recente]
    assert not stockage.exists(nom)
    # A pending upload's file is no orphan, however old.
    supprimes = services_justificatifs.fichiers_orphelins_supprimer(
        anciennete=datetime.timedelta(0)
    )
    assert recente.fichier.name not in supprimes and stockage.exists(recente.fichier.name)


def test_the_stored_file_is_served_only_by_the_checked_view(
    signed_in, dispositif, client, other_citizen
):
    _post(signed_in, dispositif, nom="Martin", domicile=_pdf())
    version = VersionJustificatif.objects.get()
    url = reverse("portal:justificatif_fichier", args=[version.pk])
    response = signed_in.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    signed_in.logout()
    signed_in.force_login(other_citizen)
    assert signed_in.get(url).status_code == 404


def test_an_identity_document_field_says_which_documents_and_is_received(signed_in):
    from dossiers import services
    from dossiers.models import Champ, Ligne, Onglet
    from tests.dossiers.factories import DispositifFactory, TypeJustificatifFactory

    dispositif = DispositifFactory(slug="carte")
    modele = services.modele_brouillon(dispositif=dispositif)
    ligne = Ligne.objects.create(onglet=Onglet.objects.create(modele=modele, titre="Vous"))
    Champ.objects.create(
        ligne=ligne,
        nom="identite",
        libelle="Pièce d’identité",
        type="piece_identite",
        options={"documents": ["passeport", "cni"]},
    )
    services.modele_publier(modele=modele, by=None)
    TypeJustificatifFactory(code="piece-identite", libelle="Pièce d’identité", formats=["pdf"])
    body = signed_in.get(_url(dispositif)).content.decode()
    assert (
        "Documents acceptés : Carte nationale d’identité, Passeport. Formats acceptés : PDF."
        in body
    )
    response = _post(signed_in, dispositif, identite=_pdf("passeport.pdf"))
    assert response.status_code == 302
    justificatif = Dossier.objects.get().justificatifs.get()
    assert justificatif.type.code == "piece-identite" and justificatif.statut == Statut.RECU


def test_a_step_with_pieces_costs_the_same_with_more_profil_documents(
    signed_in, dispositif, citizen, association
):
    from tests.queries import assert_page_budget

    domicile = TypeJustificatif.objects.get(code="domicile")
    rib = TypeJustificatif.objects.get(code="rib")
    services_justificatifs.profil_document_deposer(
        profil=association, type_justificatif=domicile, upload=_pdf("a.pdf"), user=citizen
    )
    _post(signed_in, dispositif, action="suivant", domicile=_pdf())  # one pending upload

    def grow():
        services_justificatifs.profil_document_deposer(
            profil=association, type_justificatif=rib, upload=_pdf("rib.pdf"), user=citizen
        )
        services_justificatifs.profil_document_deposer(
            profil=association, type_justificatif=domicile, upload=_pdf("b.pdf"), user=citizen
        )

    # The step shown again from the session, then the pieces: their types with their
    # rules, the pending upload, the profil's documents; none per document.
    assert_page_budget(signed_in, _url(dispositif), budget=6, grow=grow)
