"""common.csrf: the wizard's cached page gets a CSRF token Django reads back and accepts,
as `get_token` would give it."""

from unittest import mock

from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CsrfViewMiddleware,
    _get_new_csrf_string,
    _unmask_cipher_token,
)
from django.test import RequestFactory

from common import csrf


def _vue(request):
    return HttpResponse("ok")


def _requete(methode="get", cookie=None, **extra):
    factory = RequestFactory()
    request = getattr(factory, methode)("/", **extra)
    if cookie is not None:
        request.COOKIES["csrftoken"] = cookie
    middleware = CsrfViewMiddleware(_vue)
    middleware.process_request(request)
    return request, middleware


def test_the_mask_hides_the_secret_and_django_reads_it_back():
    secret = _get_new_csrf_string()
    jetons = {csrf.masquer(secret) for _fois in range(50)}
    assert len(jetons) == 50  # a new mask each time (BREACH)
    for jeton in jetons:
        assert len(jeton) == 2 * CSRF_SECRET_LENGTH
        assert set(jeton) <= set(CSRF_ALLOWED_CHARS)
        assert secret not in jeton
        assert _unmask_cipher_token(jeton) == secret


def test_the_mask_keeps_only_the_bytes_that_favour_no_character():
    # 248..255 would make 0..7 (the first characters) likelier: they are dropped.
    octets = [bytes(range(248, 256)) * 8, bytes(range(64))]

    with mock.patch("common.csrf.os.urandom", side_effect=octets) as urandom:
        jeton = csrf.masquer("a" * CSRF_SECRET_LENGTH)

    assert urandom.call_count == 2

    attendu = "".join(CSRF_ALLOWED_CHARS[i % 62] for i in range(CSRF_SECRET_LENGTH))
    assert jeton[:CSRF_SECRET_LENGTH] == attendu


def test_the_token_is_for_the_cookies_secret_and_renews_the_cookie():
    secret = _get_new_csrf_string()
    request, middleware = _requete(cookie=secret)

    jeton = csrf.jeton(request)

    assert _unmask_cipher_token(jeton) == secret
    response = middleware.process_response(request, HttpResponse())
    assert response.cookies["csrftoken"].value == secret  # sent back, as get_token does


def test_without_a_cookie_django_makes_the_secret():
    request, middleware = _requete()

    jeton = csrf.jeton(request)

    response = middleware.process_response(request, HttpResponse())
    nouveau = response.cookies["csrftoken"].value
    assert len(nouveau) == CSRF_SECRET_LENGTH
    assert _unmask_cipher_token(jeton) == nouveau


def test_the_middleware_accepts_a_post_with_the_token():
    secret = _get_new_csrf_string()
    page, _middleware = _requete(cookie=secret)
    jeton = csrf.jeton(page)

    accepte, middleware = _requete("post", cookie=secret, data={"csrfmiddlewaretoken": jeton})
    assert middleware.process_view(accepte, _vue, (), {}) is None

    autre = csrf.jeton(_requete(cookie=_get_new_csrf_string())[0])
    refuse, middleware = _requete("post", cookie=secret, data={"csrfmiddlewaretoken": autre})
    assert middleware.process_view(refuse, _vue, (), {}).status_code == 403
