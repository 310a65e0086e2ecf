"""The CSRF token of a page kept whole (portal/etapes_rendues.py), masked as Django's
`get_token` masks it, from one read of the system's random source instead of 32.

Django draws the token's 32-character mask one character at a time (`secrets.choice`:
a `getrandom` system call and a few Python calls each): ~0.1 ms of CPU on this machine,
a tenth of what a cached wizard step costs besides the signed-in floor. The token is the
same: the mask, then the secret shifted by it character by character, over Django's
alphabet (`_unmask_cipher_token` reads it back, and the middleware accepts it:
tests/common/test_csrf.py). The mask is as uniform: of each random byte only those below
248 (4 × 62) are kept, so `byte % 62` favours no character.
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

_BASE = len(CSRF_ALLOWED_CHARS)
_PLAFOND = 256 - 256 % _BASE  # bytes from here on would favour the first characters
_INDEX = {caractere: i for i, caractere in enumerate(CSRF_ALLOWED_CHARS)}
_ALPHABET = frozenset(CSRF_ALLOWED_CHARS)


def jeton(request) -> str:
    """`django.middleware.csrf.get_token(request)`: the request's masked CSRF token, its
    cookie sent back with the response (renewed, as Django does)."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None or len(secret) != CSRF_SECRET_LENGTH or not _ALPHABET.issuperset(secret):
        # No secret yet (a first visit; the middleware checked any cookie's format):
        # Django makes one and sets its cookie.
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masquer(secret)


def masquer(secret: str) -> str:
    """Django's `_mask_cipher_secret(secret)`, its mask from `os.urandom`."""
    masque: list[int] = []
    while len(masque) < CSRF_SECRET_LENGTH:
        # 64 bytes keep 62 of them on average: one read nearly always suffices.
        masque += [
            octet % _BASE for octet in os.urandom(2 * CSRF_SECRET_LENGTH) if octet < _PLAFOND
        ]
    masque = masque[:CSRF_SECRET_LENGTH]
    return "".join(CSRF_ALLOWED_CHARS[m] for m in masque) + "".join(
        CSRF_ALLOWED_CHARS[(_INDEX[c] + m) % _BASE] for c, m in zip(secret, masque, strict=True)
    )
