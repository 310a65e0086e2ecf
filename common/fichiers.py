"""Serving a stored file to the browser once a view has checked access (ARCHITECTURE.md:
every download goes through a view). Shown in the page (the in-browser viewer) only for
the types a browser displays safely; anything else is downloaded.

Headers: the type is the one recorded at storage (never guessed from the bytes, and
`nosniff` forbids the browser to guess); an image is served under `Content-Security-Policy:
sandbox` with nothing else allowed, so a crafted file runs nothing in our origin. A PDF
is not sandboxed: Chromium refuses to start its PDF viewer in a sandboxed document
(crbug.com/413851); it is shown by the browser's own viewer, which runs apart from the
page, and may only be framed by our own pages (`frame-ancestors 'self'`).
"""

from django.http import FileResponse

PDF = "application/pdf"
IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
VISIONNABLES = IMAGES | {PDF}


def visionnable(type_mime: str) -> bool:
    return type_mime in VISIONNABLES


def reponse_fichier(fichier, *, nom: str, type_mime: str, inline: bool = False) -> FileResponse:
    """The file (open, binary) as a response; `inline` only for viewable types."""
    inline = inline and visionnable(type_mime)
    response = FileResponse(fichier, as_attachment=not inline, filename=nom, content_type=type_mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if type_mime == PDF:
        response["Content-Security-Policy"] = "frame-ancestors 'self'"
    else:
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
            "frame-ancestors 'self'"
        )
    return response
