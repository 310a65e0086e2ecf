"""Sending a stored file back to a browser, after the calling view checked access."""

from django.http import FileResponse, Http404

TYPES_EN_LIGNE = ("application/pdf", "image/jpeg", "image/png", "image/webp")


def reponse_fichier(fichier, *, nom: str, type_mime: str) -> FileResponse:
    """PDF and images shown in the browser (inline), anything else downloaded; the type
    is the one detected at upload and never sniffed by the browser; a shown file is
    sandboxed (no script, no same-origin), and nothing is cached by shared caches."""
    try:
        flux = fichier.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    en_ligne = type_mime in TYPES_EN_LIGNE
    response = FileResponse(flux, as_attachment=not en_ligne, filename=nom, content_type=type_mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if en_ligne:
        response["Content-Security-Policy"] = "sandbox"
    return response
