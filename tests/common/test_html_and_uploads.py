import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from common.html import clean_html, compacter
from common.uploads import validate_document, validate_image
from common.validators import validate_bic, validate_iban


def test_rich_text_keeps_formatting_and_drops_scripts():
    dirty = (
        '<p onclick="x()">Bonjour <strong>Camille</strong><script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">piège</a><a href="https://exemple.fr">lien</a>'
    )
    clean = clean_html(dirty)
    assert "<strong>Camille</strong>" in clean
    assert "script" not in clean and "onclick" not in clean and "javascript" not in clean
    assert 'href="https://exemple.fr"' in clean and 'rel="noopener noreferrer"' in clean


def _png(size=(10, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_image_is_checked_by_content_not_name():
    validate_image(SimpleUploadedFile("photo.png", _png()))
    with pytest.raises(ValidationError, match="n’est pas une image"):
        validate_image(SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image"))


def test_image_size_limit_is_said_in_french():
    with pytest.raises(ValidationError, match="la limite est"):
        validate_image(SimpleUploadedFile("photo.png", _png()), max_bytes=10)


def test_document_templates_are_pdf_or_office_files():
    validate_document(SimpleUploadedFile("modele.pdf", b"%PDF-1.7\n..."))
    validate_document(SimpleUploadedFile("modele.docx", b"PK\x03\x04...."))
    with pytest.raises(ValidationError, match="Seuls les modèles PDF"):
        validate_document(SimpleUploadedFile("modele.pdf", b"MZ\x90\x00 an executable"))


@pytest.mark.parametrize("value", ["FR76 3000 6000 0112 3456 7890 189", "DE89370400440532013000"])
def test_valid_ibans_including_foreign(value):
    validate_iban(value)


@pytest.mark.parametrize(
    ("validator", "value"), [(validate_iban, "FR76 0000"), (validate_bic, "BDF")]
)
def test_invalid_bank_details(validator, value):
    with pytest.raises(ValidationError):
        validator(value)


def test_compacter_makes_whitespace_between_tags_one_newline():
    html = '<div class="a">\n    <label>Nom <span>(facultatif)</span></label>\n\n  <input>\n</div>'
    assert compacter(html) == (
        '<div class="a">\n<label>Nom <span>(facultatif)</span></label>\n<input>\n</div>'
    )


def test_compacter_keeps_text_and_whitespace_that_is_content():
    """Text beside tags keeps its spaces; pre, textarea, script and style stay whole,
    their own tags' whitespace included."""
    html = (
        "<p>Un  <b>mot</b>  de plus</p>\n  "
        '<textarea name="x">\n  ligne  \n <b> </b></textarea>'
        "<pre> a\n  <i> </i> </pre>"
        "<SCRIPT>if (a >  b < c) {}</SCRIPT>"
        "<style>a >  b {}</style>"
    )
    assert compacter(html) == html.replace("</p>\n  <", "</p>\n<")
