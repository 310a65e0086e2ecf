"""Upload checks of justificatifs (common.uploads.verifier_justificatif) on real crafted
files: the type is read from the bytes, never from the name."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from common.uploads import FORMATS_JUSTIFICATIFS, nom_sain, verifier_justificatif
from dossiers.models import FormatJustificatif
from tests.common import fichiers

TOUS = list(FORMATS_JUSTIFICATIFS)
MO = 1024 * 1024


def verifier(contenu: bytes, nom="document.pdf", formats=TOUS, taille_max=10 * MO):
    return verifier_justificatif(
        SimpleUploadedFile(nom, contenu), formats=formats, taille_max=taille_max
    )


def refus(contenu: bytes, code: str, **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        verifier(contenu, **kwargs)
    assert error.value.code == code, error.value
    return error.value.messages[0]


def test_formats_of_the_model_are_those_checked():
    assert set(FormatJustificatif.values) == set(FORMATS_JUSTIFICATIFS)


@pytest.mark.parametrize(
    ("contenu", "format"),
    [
        (fichiers.pdf(), "pdf"),
        (fichiers.image("PNG"), "png"),
        (fichiers.image("JPEG"), "jpeg"),
        (fichiers.image("WEBP"), "webp"),
        (fichiers.docx(), "docx"),
        (fichiers.odt(), "odt"),
    ],
)
def test_accepted_types_are_read_from_the_content(contenu, format):
    fichier = verifier(contenu, nom="scan sans extension")
    assert fichier.format == format
    assert fichier.type_mime == FORMATS_JUSTIFICATIFS[format][0]
    assert fichier.taille == len(contenu)
    assert fichier.empreinte == hashlib.sha256(contenu).hexdigest()


def test_the_name_takes_the_detected_type_extension():
    assert verifier(fichiers.pdf(), nom="photo.png").nom == "photo.pdf"
    assert verifier(fichiers.image("JPEG"), nom="avis.pdf.exe").nom == "avis.pdf.jpg"


def test_names_are_sanitised():
    assert nom_sain("../../etc/passwd", "pdf") == "passwd.pdf"
    assert nom_sain("C:\\Users\\x\\rib\x00\x1b[31m.pdf", "pdf") == "rib[31m.pdf"
    assert nom_sain('a<b>c:"d|e?.pdf', "pdf") == "a_b_c__d_e_.pdf"
    assert nom_sain("   ...   ", "png") == "document.png"
    long = nom_sain("x" * 500 + ".pdf", "pdf")
    assert len(long) <= 120 and long.endswith(".pdf")


def test_empty_file_is_refused():
    assert refus(b"", "vide") == "Le fichier est vide."


def test_size_is_checked_per_type():
    message = refus(fichiers.pdf(), "taille", taille_max=100)
    assert "limite" in message


def test_type_not_accepted_for_this_justificatif():
    message = refus(fichiers.image("PNG"), "type", formats=["pdf"])
    assert "Formats acceptés : PDF" in message


@pytest.mark.parametrize(
    "contenu",
    [
        b"Bonjour, ceci est un texte.",
        b"MZ\x90\x00\x03\x00\x00\x00 a program renamed .pdf",
        fichiers.zip_de({"notes.txt": b"un zip quelconque"}),
    ],
)
def test_wrong_type_behind_a_good_extension_is_refused(contenu):
    refus(contenu, "type", nom="justificatif.pdf")


def test_corrupt_pdf_is_refused():
    assert "endommagé" in refus(b"%PDF-1.7\n1 0 obj garbage\n%%EOF\n", "corrompu")
    assert "endommagé" in refus(fichiers.pdf()[:200], "corrompu")  # truncated


def test_encrypted_pdf_is_refused():
    assert "mot de passe" in refus(fichiers.pdf_chiffre(), "pdf_chiffre")


def test_pdf_with_javascript_is_refused():
    contenu = fichiers.pdf().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    refus(contenu, "pdf_actif")


def test_zip_bomb_is_refused():
    bombe = fichiers.docx({"word/media/zeros.bin": b"\x00" * (20 * MO)})
    assert len(bombe) < MO
    assert "anormal" in refus(bombe, "zip_bombe")


def test_nested_archives_are_refused_past_one_level():
    interieur = fichiers.zip_de({"b.zip": fichiers.zip_de({"c.txt": b"c"})})
    refus(fichiers.docx({"word/embeddings/a.zip": interieur}), "zip_imbrique")
    # One level (a chart's workbook inside a DOCX) is fine.
    assert (
        verifier(
            fichiers.docx({"word/embeddings/graphique.xlsx": fichiers.zip_de({"x": b"1"})})
        ).format
        == "docx"
    )


@pytest.mark.parametrize(
    "contenu",
    [
        fichiers.pdf() + fichiers.zip_de({"charge.js": b"alert(1)"}),  # PDF + zip
        b"<html><script>alert(1)</script></html>\n" + fichiers.pdf(),  # %PDF not at offset 0
        fichiers.image("PNG") + b"<script>alert(1)</script>",  # image with trailing HTML
        fichiers.image("JPEG") + b"trailing data",  # data after the JPEG's end
        fichiers.image("PNG") + fichiers.zip_de({"x.txt": b"x"}),  # image + zip
        fichiers.pdf().replace(b"%%EOF", b"%<html><body>x</body></html>\n%%EOF"),  # PDF + HTML
    ],
)
def test_polyglots_are_refused(contenu):
    refus(contenu, "polyglotte")


def test_a_webp_with_trailing_data_is_refused():
    refus(fichiers.image("WEBP") + b"<!-- anything -->", "polyglotte")


def test_a_pdf_with_an_attached_file_is_accepted_like_a_factur_x_invoice():
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("factur-x.xml", b"<?xml version='1.0'?><rsm:CrossIndustryInvoice/>")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert verifier(buffer.getvalue()).format == "pdf"
