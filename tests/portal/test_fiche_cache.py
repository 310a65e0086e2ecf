"""The service sheet's cache (portal/views_catalogue.py `fiche`): an anonymous visitor gets
the whole page from the cache while nothing it shows has changed — the dispositif's row,
its pieces and links, its thématiques and profile types, a published form model — keyed
by `fiche_empreinte`; anyone signed in, or with a message waiting, gets it rendered."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.models import Dispositif, ModeleDossier, PieceAFournir
from dossiers.selectors import fiche_empreinte
from tests.dossiers.factories import (
    DispositifFactory,
    LienDispositifFactory,
    PieceAFournirFactory,
    ThematiqueFactory,
)
from usagers.models import TypeProfil

pytestmark = pytest.mark.django_db


@pytest.fixture
def sport():
    return ThematiqueFactory(slug="sport", libelle="Sport")


@pytest.fixture
def benne(sport):
    dispositif = DispositifFactory(
        titre="Prêt d’une benne",
        slug="pret-benne",
        complet=True,
        thematiques=[sport],
        types_profil=["association"],
    )
    PieceAFournirFactory(dispositif=dispositif, libelle="Justificatif de domicile")
    LienDispositifFactory(dispositif=dispositif, libelle="Règlement", url="https://exemple.fr/r")
    return dispositif


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_anonymous_sheet_is_served_whole_from_the_cache(client, benne):
    url = benne.get_absolute_url()
    first = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        second = client.get(url)
    assert len(captured) == 1  # the fingerprint
    assert second.status_code == 200
    assert second.content == first.content
    assert second.get("Vary") == first.get("Vary")


@pytest.mark.parametrize(
    "changer",
    [
        lambda d: Dispositif.objects.filter(pk=d.pk).update(contact_horaires="Le samedi matin"),
        lambda d: PieceAFournir.objects.filter(dispositif=d).update(precision="Le samedi matin"),
        lambda d: PieceAFournirFactory(dispositif=d, libelle="Le samedi matin"),
        lambda d: d.liens.update(libelle="Le samedi matin"),
        lambda d: d.thematiques.update(libelle="Le samedi matin"),
        lambda d: d.thematiques.add(ThematiqueFactory(libelle="Le samedi matin")),
        lambda d: TypeProfil.objects.filter(code="association").update(libelle="Le samedi matin"),
    ],
    ids=["row", "piece", "new piece", "link", "thematique", "linked", "profile type"],
)
def test_every_block_of_the_sheet_shows_its_change_on_the_next_request(client, benne, changer):
    url = benne.get_absolute_url()
    assert "Le samedi matin" not in _page(client, url)
    empreinte = fiche_empreinte(benne.slug)

    changer(benne)  # with update(): no signal, no save() — the fingerprint reads the rows

    assert fiche_empreinte(benne.slug) != empreinte
    assert "Le samedi matin" in _page(client, url)


def test_publishing_a_form_model_shows_the_start_button(client, benne):
    url = benne.get_absolute_url()
    assert "Le formulaire en ligne de cette démarche sera bientôt disponible." in _page(client, url)

    ModeleDossier.objects.create(
        dispositif=benne, version=1, statut=ModeleDossier.Statut.PUBLIE, publie_le=timezone.now()
    )

    body = _page(client, url)
    assert "Le formulaire en ligne de cette démarche sera bientôt disponible." not in body
    assert f'href="/demarches/{benne.slug}/demande/"' in body


def test_the_query_string_is_in_the_key(client, benne):
    """The query string prefills the wizard (P5): its links carry it."""
    ModeleDossier.objects.create(
        dispositif=benne, version=1, statut=ModeleDossier.Statut.PUBLIE, publie_le=timezone.now()
    )
    url = benne.get_absolute_url()
    assert "?commune=45000" not in _page(client, url)
    assert f'href="/demarches/{benne.slug}/demande/?commune=45000"' in _page(
        client, url + "?commune=45000"
    )
    assert "?commune=45000" not in _page(client, url)


def test_a_closing_window_answers_404_whatever_the_cache_holds(client, benne):
    url = benne.get_absolute_url()
    benne.publie_au = timezone.now() + datetime.timedelta(hours=1)
    benne.save()
    _page(client, url)  # cached

    plus_tard = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=plus_tard):
        assert fiche_empreinte(benne.slug) is None
        assert client.get(url).status_code == 404
    assert fiche_empreinte("pas-de-demarche") is None
    assert client.get("/demarches/pas-de-demarche/").status_code == 404


def test_a_signed_in_citizen_never_gets_the_anonymous_page(client, citizen, benne):
    url = benne.get_absolute_url()
    anonyme = _page(client, url)  # now in the cache
    client.force_login(citizen)
    with CaptureQueriesContext(connection) as captured:
        connecte = _page(client, url)
    assert len(captured) > 1  # rendered, not served from the cache
    assert connecte != anonyme
    assert "Se déconnecter" in connecte
    assert "Se déconnecter" not in anonyme
    client.logout()
    assert _page(client, url) == anonyme
