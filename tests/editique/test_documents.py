"""Templates → PDF (read back with pypdf) and DOCX (opened and converted by LibreOffice),
publishing refused on problems, generated documents stored with their checksum."""

import io
import shutil
import subprocess
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from dossiers import editique as dossiers_editique
from editique import services
from editique.models import DocumentGenere
from tests.editique.factories import CORPS, ModeleDocumentFactory, dossier_depose

pytestmark = pytest.mark.django_db


def _texte_pdf(contenu: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)


def _lire(document) -> bytes:
    with document.fichier.open("rb") as fichier:
        return fichier.read()


def _modele(dossier, **kwargs):
    kwargs.setdefault("corps", CORPS)
    return ModeleDocumentFactory(cible=dossier.dispositif.slug, **kwargs)


def test_pdf_has_the_rendered_text(agent):
    dossier = dossier_depose()
    modele = _modele(dossier, entete="<p>Service des salles</p>")
    contexte = dossiers_editique.contexte_dossier(dossier, agent)
    contenu = services.apercu(modele, contexte, "pdf")
    assert contenu.startswith(b"%PDF")
    texte = _texte_pdf(contenu)
    assert dossier.reference in texte
    assert "Madame Léa Durand" in texte
    assert "Salle nue." in texte
    assert "Sono" in texte and "Affiches" in texte
    assert "Service des salles" in texte  # the header
    assert "Ville de Belleville-sur-Loire" in texte  # the footer (collectivite.nom)
    assert "Page 1 / 1" in texte


def test_landscape_and_pdf_a(agent):
    dossier = dossier_depose()
    modele = _modele(dossier, orientation="paysage", archivage=True)
    contenu = services.apercu(modele, dossiers_editique.contexte_dossier(dossier, agent), "pdf")
    lecteur = PdfReader(io.BytesIO(contenu))
    page = lecteur.pages[0]
    assert page.mediabox.width > page.mediabox.height
    metadonnees = lecteur.xmp_metadata
    assert metadonnees is not None
    assert b"pdfaid" in lecteur.trailer["/Root"]["/Metadata"].get_object().get_data()


def test_page_break_gives_two_pages(agent):
    modele = ModeleDocumentFactory(
        corps='<p>Un</p><div class="saut-de-page"></div><p>Deux</p><script>alerte()</script>'
    )
    contenu = services.apercu(modele, {"collectivite": {"nom": "Ville"}}, "pdf")
    lecteur = PdfReader(io.BytesIO(contenu))
    assert len(lecteur.pages) == 2
    assert "Deux" in lecteur.pages[1].extract_text()
    assert "alerte" not in lecteur.pages[1].extract_text()  # scripts are dropped


def test_a_template_cannot_fetch_files_or_hosts(agent):
    modele = ModeleDocumentFactory(
        corps='<p>Texte</p><img src="file:///etc/passwd"><div style="background: '
        'url(http://exemple.invalid/x.png)">a</div><link rel="stylesheet" href="file:///etc/hosts">'
    )
    contenu = services.apercu(modele, {"collectivite": {"nom": "Ville"}}, "pdf")
    assert "root:" not in _texte_pdf(contenu)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (installed by .ci/run)")
def test_docx_is_read_and_converted_by_libreoffice(agent, tmp_path):
    dossier = dossier_depose()
    modele = _modele(dossier, orientation="paysage", pied="<p>Mairie, 1 place de la Loire</p>")
    contenu = services.apercu(modele, dossiers_editique.contexte_dossier(dossier, agent), "docx")
    chemin = tmp_path / "document.docx"
    chemin.write_bytes(contenu)
    profil = tmp_path / "profil-lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profil}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(chemin),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    texte = _texte_pdf((tmp_path / "document.pdf").read_bytes())
    assert "Accusé de réception" in texte
    assert dossier.reference in texte
    assert "Salle nue." in texte
    assert "Sono : 300,00" in texte
    assert "Fonctionnement" in texte
    assert "Mairie, 1 place de la Loire" in texte
    page = PdfReader(tmp_path / "document.pdf").pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape kept


def test_publishing_is_refused_while_a_variable_is_unknown(concepteur):
    dossier = dossier_depose()
    modele = _modele(
        dossier, corps="<p>{{ dossier.reference }}</p>\n<p>{{ dossier.champs.montnt }}</p>"
    )
    with pytest.raises(ValidationError) as erreur:
        services.modele_publier(modele=modele, par=concepteur)
    assert "Ligne 2" in erreur.value.messages[0]
    assert "dossier.champs.montnt" in erreur.value.messages[0]
    assert not modele.versions.exists()

    modele.corps = "<p>{{ agent.password }}</p>"  # reaching outside the context
    modele.save()
    with pytest.raises(ValidationError, match="agent.password"):
        services.modele_publier(modele=modele, par=concepteur)

    modele.corps = CORPS
    modele.save()
    version = services.modele_publier(modele=modele, par=concepteur)
    assert version.numero == 1 and version.corps == CORPS and version.publie_par == concepteur
    assert not modele.brouillon_modifie
    modele.corps += "<p>Suite</p>"
    assert modele.brouillon_modifie
    assert services.modele_publier(modele=modele, par=concepteur).numero == 2


def test_generated_document_is_stored_on_the_dossier(concepteur, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_depose()
    modele = _modele(dossier)
    with pytest.raises(ValidationError, match="pas de version publiée"):
        dossiers_editique.document_generer(dossier=dossier, modele=modele, par=concepteur)
    version = services.modele_publier(modele=modele, par=concepteur)
    modele.corps = "<p>Brouillon non publié</p>"
    modele.save()
    document = dossiers_editique.document_generer(
        dossier=dossier, modele=modele, format_="pdf", par=concepteur
    )
    assert document.version == version
    assert document.objet == dossier
    assert document.cree_par == concepteur
    assert str(tmp_path) in document.fichier.path
    assert services.document_verifier(document)
    assert "Brouillon non publié" not in _texte_pdf(_lire(document))
    assert list(dossiers_editique.documents(dossier)) == [document]
    docx = dossiers_editique.document_generer(
        dossier=dossier, modele=modele, format_="docx", par=concepteur
    )
    assert docx.format == DocumentGenere.Format.DOCX and docx.taille > 1000


def test_a_rolled_back_production_leaves_no_file(concepteur, settings, tmp_path):
    """The file is written before its row commits: a production whose transaction rolls
    back leaves a file no row points to, which the sweeper (beat) deletes; the files of
    committed documents, and any file too young to judge, are kept."""
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_depose()
    modele = _modele(dossier)
    services.modele_publier(modele=modele, par=concepteur)
    garde = dossiers_editique.document_generer(dossier=dossier, modele=modele, par=concepteur)
    with pytest.raises(RuntimeError), transaction.atomic():
        annule = dossiers_editique.document_generer(
            dossier=dossier, modele=modele, format_="docx", par=concepteur
        )
        raise RuntimeError("the dossier's transaction fails after the production")
    assert not DocumentGenere.objects.filter(pk=annule.pk).exists()
    assert (tmp_path / annule.fichier.name).exists()
    assert services.fichiers_orphelins_supprimer() == []  # younger than an hour: kept
    assert services.fichiers_orphelins_supprimer(anciennete=timedelta(0)) == [annule.fichier.name]
    fichiers = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()]
    assert fichiers == [garde.fichier.name]
    assert services.document_verifier(garde)


def test_a_production_whose_row_cannot_be_saved_removes_its_file(concepteur, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_depose()
    modele = _modele(dossier)
    services.modele_publier(modele=modele, par=concepteur)
    with (
        mock.patch.object(DocumentGenere, "save", side_effect=IntegrityError("boom")),
        pytest.raises(IntegrityError),
    ):
        dossiers_editique.document_generer(dossier=dossier, modele=modele, par=concepteur)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
