"""Upload checks: the type is read from the content, never trusted from the name."""

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

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


# --- Justificatifs (issue 7, P12): any document a citizen provides -------------------
# The type is read from the bytes; the name only gives the displayed name (sanitised,
# its extension set to the detected type). Refused: empty files, unknown or unaccepted
# types, corrupt or encrypted PDFs, PDFs with active content, zip bombs, polyglots (a
# file that is also another kind: a zip directory or HTML/script inside a PDF or an
# image, `%PDF` anywhere but at offset 0, data trailing an image's end).

FORMATS_JUSTIFICATIFS = {
    "pdf": ("application/pdf", "PDF"),
    "jpeg": ("image/jpeg", "JPEG"),
    "png": ("image/png", "PNG"),
    "webp": ("image/webp", "WebP"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", "ODT"),
}
EXTENSIONS = {
    "pdf": "pdf",
    "jpeg": "jpg",
    "png": "png",
    "webp": "webp",
    "docx": "docx",
    "odt": "odt",
}

# Zip (DOCX, ODT) limits against zip bombs.
ZIP_MEMBRES_MAX = 2000
ZIP_TOTAL_MAX = 100 * 1024 * 1024  # declared uncompressed size of all members
ZIP_RATIO_MAX = 100  # declared / compressed, per member
ZIP_PROFONDEUR_MAX = 2  # an archive inside the document (a chart's workbook), no deeper
ARCHIVES = (".zip", ".jar", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".odg", ".epub")
# Markers of HTML or script: a browser sniffing the file could run it.
MARQUEURS_HTML = (b"<script", b"<html", b"<!doctype", b"<iframe", b"<svg", b"<body", b"javascript:")
# PDF actions that run something when opened (a shallow look at the uncompressed
# bytes). Attached files are allowed: a Factur-X invoice carries its XML.
PDF_ACTIF = (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch")

NOM_MAX = 120


@dataclass(frozen=True)
class FichierVerifie:
    contenu: bytes
    format: str  # a key of FORMATS_JUSTIFICATIFS
    type_mime: str
    nom: str  # sanitised, with the detected type's extension
    taille: int
    empreinte: str  # SHA-256, hex


def nom_sain(nom: str, format: str = "") -> str:
    """A name safe to show and to send back in Content-Disposition: no path, no control
    or reserved characters, at most NOM_MAX characters, ending with the detected type's
    extension (« ../../facture.pdf.exe », a PDF, becomes « facture.pdf »)."""
    nom = unicodedata.normalize("NFC", str(nom or ""))
    nom = re.split(r"[\\/]", nom)[-1]
    nom = "".join(c for c in nom if unicodedata.category(c)[0] != "C")
    nom = re.sub(r'[<>:"|?*;\x00]', "_", nom)
    nom = re.sub(r"\s+", " ", nom).strip(" .")
    racine, point, extension = nom.rpartition(".")
    if point and extension.lower() in {*EXTENSIONS.values(), *EXTENSIONS, "exe", "html", "htm"}:
        nom = racine.strip(" .")
    if format:
        suffixe = "." + EXTENSIONS[format]
        if nom.lower().endswith(suffixe):
            nom = nom[: -len(suffixe)]
    else:
        suffixe = ""
    nom = (nom or "document")[: NOM_MAX - len(suffixe)].rstrip(" .") or "document"
    return nom + suffixe


def _refus(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _format_du_contenu(contenu: bytes) -> str | None:
    if contenu.startswith(PDF_MAGIC):
        return "pdf"
    if contenu.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if contenu.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if contenu[:4] == b"RIFF" and contenu[8:12] == b"WEBP":
        return "webp"
    if contenu.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _verifier_zip(contenu: bytes, profondeur: int = 1) -> zipfile.ZipFile:
    message_bombe = _(
        "Ce document compressé est anormal (taux de compression ou taille excessifs) : "
        "il ne peut pas être accepté."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(contenu))
        membres = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refus(_("Ce document est endommagé et ne peut pas être lu."), "corrompu") from None
    if len(membres) > ZIP_MEMBRES_MAX:
        raise _refus(message_bombe, "zip_bombe")
    total = 0
    for membre in membres:
        total += membre.file_size
        if total > ZIP_TOTAL_MAX:
            raise _refus(message_bombe, "zip_bombe")
        if membre.file_size > 1024 * 1024 and (
            membre.compress_size == 0 or membre.file_size / membre.compress_size > ZIP_RATIO_MAX
        ):
            raise _refus(message_bombe, "zip_bombe")
    # Decompress for real, counting: the declared sizes may lie.
    lus = 0
    try:
        for membre in membres:
            if membre.is_dir():
                continue
            with archive.open(membre) as flux:
                interne = membre.filename.lower().endswith(ARCHIVES)
                morceaux = [] if interne else None
                while morceau := flux.read(64 * 1024):
                    lus += len(morceau)
                    if lus > ZIP_TOTAL_MAX:
                        raise _refus(message_bombe, "zip_bombe")
                    if morceaux is not None:
                        morceaux.append(morceau)
            if morceaux is not None:
                if profondeur >= ZIP_PROFONDEUR_MAX:
                    raise _refus(message_bombe, "zip_imbrique")
                interieur = b"".join(morceaux)
                if interieur.startswith(b"PK\x03\x04"):
                    _verifier_zip(interieur, profondeur + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _refus(_("Ce document est endommagé et ne peut pas être lu."), "corrompu") from None
    return archive


def _format_bureautique(archive: zipfile.ZipFile) -> str | None:
    noms = set(archive.namelist())
    if "mimetype" in noms:
        mimetype = archive.read("mimetype").strip()
        if mimetype == FORMATS_JUSTIFICATIFS["odt"][0].encode():
            return "odt"
        return None
    if "[Content_Types].xml" in noms and "word/document.xml" in noms:
        return "docx"
    return None


def _verifier_pdf(contenu: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    corrompu = _("Ce PDF est endommagé et ne peut pas être lu.")
    fin = contenu.rstrip(b"\x00\r\n\t\f ")
    if not fin.endswith(b"%%EOF"):
        # Missing end marker, or data after it (a file appended to the PDF).
        if b"%%EOF" in contenu:
            raise _refus(
                _("Ce PDF contient des données supplémentaires : il est refusé."), "polyglotte"
            )
        raise _refus(corrompu, "corrompu")
    for marqueur in PDF_ACTIF:
        if marqueur in contenu:
            raise _refus(
                _(
                    "Ce PDF contient du contenu actif (script, lancement d’application) : il est refusé."
                ),
                "pdf_actif",
            )
    try:
        lecteur = PdfReader(io.BytesIO(contenu), strict=False)
        if lecteur.is_encrypted:
            raise _refus(
                _("Ce PDF est protégé par un mot de passe : envoyez-le sans protection."),
                "pdf_chiffre",
            )
        if len(lecteur.pages) == 0:
            raise _refus(corrompu, "corrompu")
    except ValidationError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
    ):
        raise _refus(corrompu, "corrompu") from None


def _verifier_image(contenu: bytes, format: str) -> None:
    try:
        with Image.open(io.BytesIO(contenu)) as image:
            image.verify()
            lu = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        lu = None
    if IMAGE_FORMATS.get(lu or "") != FORMATS_JUSTIFICATIFS[format][0]:
        raise _refus(_("Cette image est endommagée et ne peut pas être lue."), "corrompu")
    fin = None
    if format == "png":
        position = contenu.rfind(b"IEND")
        fin = position + 8 if position >= 0 else None  # the chunk's CRC follows
    elif format == "jpeg":
        position = contenu.rfind(b"\xff\xd9")
        fin = position + 2 if position >= 0 else None
    elif format == "webp":
        fin = int.from_bytes(contenu[4:8], "little") + 8  # the RIFF header's size
    if fin is not None and contenu[fin:].strip(b"\x00\r\n\t\f "):
        raise _refus(
            _("Cette image contient des données supplémentaires : elle est refusée."),
            "polyglotte",
        )


def verifier_justificatif(
    upload, *, formats, taille_max: int, nom: str | None = None
) -> FichierVerifie:
    """Check an uploaded file against accepted `formats` (keys of FORMATS_JUSTIFICATIFS)
    and `taille_max` bytes; raise ValidationError with a French message, or return the
    checked bytes with their type, sanitised name and SHA-256."""
    taille = getattr(upload, "size", None)
    if taille is not None and taille > taille_max:
        _check_size(upload, taille_max)
    if hasattr(upload, "seek"):
        upload.seek(0)
    contenu = upload.read(taille_max + 1)
    if not contenu:
        raise _refus(_("Le fichier est vide."), "vide")
    if len(contenu) > taille_max:
        raise _refus(
            _("Le fichier dépasse la limite de %(limite)s.")
            % {"limite": filesizeformat(taille_max)},
            "taille",
        )
    acceptes = ", ".join(FORMATS_JUSTIFICATIFS[f][1] for f in formats if f in FORMATS_JUSTIFICATIFS)
    mauvais_type = _("Ce type de fichier n’est pas accepté. Formats acceptés : %(formats)s.") % {
        "formats": acceptes
    }
    polyglotte = _("Ce fichier mélange plusieurs formats : il est refusé.")
    format = _format_du_contenu(contenu)
    tete = contenu[:1024].lower()
    if format != "pdf" and PDF_MAGIC in contenu[:1024]:
        raise _refus(polyglotte, "polyglotte")
    if format is None:
        raise _refus(mauvais_type, "type")
    if format == "zip":
        if b"<" in tete and any(m in tete for m in MARQUEURS_HTML):
            raise _refus(polyglotte, "polyglotte")
        archive = _verifier_zip(contenu)
        format = _format_bureautique(archive)
        if format is None:
            raise _refus(mauvais_type, "type")
    else:
        bas = contenu.lower()
        # A zip's central directory found from the end (a zip appended to the file), or
        # HTML/script a browser could sniff and run.
        if zipfile.is_zipfile(io.BytesIO(contenu)) or any(m in bas for m in MARQUEURS_HTML):
            raise _refus(polyglotte, "polyglotte")
    if format not in formats:
        raise _refus(mauvais_type, "type")
    if format == "pdf":
        _verifier_pdf(contenu)
    elif format in ("jpeg", "png", "webp"):
        _verifier_image(contenu, format)
    return FichierVerifie(
        contenu=contenu,
        format=format,
        type_mime=FORMATS_JUSTIFICATIFS[format][0],
        nom=nom_sain(nom if nom is not None else getattr(upload, "name", ""), format),
        taille=len(contenu),
        empreinte=hashlib.sha256(contenu).hexdigest(),
    )
