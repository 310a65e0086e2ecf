"""Upload checks: the type is read from the content, never trusted from the name."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PDF_MAGIC = b"%PDF-"


def _check_size(upload, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("Le fichier pèse %(taille)s : la limite est %(limite)s.")
            % {"taille": filesizeformat(upload.size), "limite": filesizeformat(max_bytes)},
            code="taille",
        )


def validate_image(upload, *, max_bytes: int = 2 * 1024 * 1024) -> None:
    if getattr(upload, "_committed", False):
        # A stored file (a model form saved again): checked when it was uploaded; reading
        # it again would open it from storage and leave it open.
        return
    _check_size(upload, max_bytes)
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError):
        kind = None
    finally:
        upload.seek(position)
    if kind not in IMAGE_FORMATS:
        raise ValidationError(
            _("Ce fichier n’est pas une image JPEG, PNG ou WebP."), code="type_image"
        )


def validate_document(upload, *, max_bytes: int = 10 * 1024 * 1024) -> None:
    """A downloadable template: PDF, or an office document (DOCX, ODT, XLSX, ODS: zip)."""
    _check_size(upload, max_bytes)
    position = upload.tell() if hasattr(upload, "tell") else 0
    head = upload.read(8)
    upload.seek(position)
    if not (head.startswith(PDF_MAGIC) or head.startswith(b"PK\x03\x04")):
        raise ValidationError(
            _("Seuls les modèles PDF ou bureautiques (DOCX, ODT, XLSX, ODS) sont acceptés."),
            code="type_document",
        )
