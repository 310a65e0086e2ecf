"""The catalogue's cache (portal/views_catalogue.py): the tiles and filter lists are
rendered once per state of the catalogue, keyed by its fingerprint, so every change an
admin makes — and a publication window opening or closing — shows on the next request."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.selectors import catalogue_empreinte
from tests.dossiers.factories import DispositifFactory, PieceAFournirFactory, ThematiqueFactory
from usagers.models import TypeProfil
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("portal:catalogue")


@pytest.fixture
def sport():
    return ThematiqueFactory(slug="sport", libelle="Sport")


@pytest.fixture
def subvention(sport):
    return DispositifFactory(
        titre="Subvention aux clubs",
        slug="subvention-clubs",
        thematiques=[sport],
        types_profil=["association"],
    )


def _page(client, url=CATALOGUE) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_editing_a_dispositif_shows_on_the_next_request(client, subvention):
    assert "Subvention aux clubs" in _page(client)

    subvention.titre = "Subvention aux associations sportives"
    subvention.resume = "Un résumé tout neuf."
    subvention.save()

    body = _page(client)
    assert "Subvention aux associations sportives" in body
    assert "Un résumé tout neuf." in body
    assert "Subvention aux clubs" not in body


def test_a_bulk_update_without_save_shows_too(client, subvention):
    """The fingerprint reads the tiles' content, not only `updated_at`."""
    _page(client)
    type(subvention).objects.filter(pk=subvention.pk).update(titre="Titre changé en masse")

    assert "Titre changé en masse" in _page(client)


def test_deactivating_or_adding_a_dispositif_shows_on_the_next_request(client, subvention):
    _page(client)
    DispositifFactory(titre="Location de salle")
    assert "Location de salle" in _page(client)

    subvention.actif = False
    subvention.save()
    assert "Subvention aux clubs" not in _page(client)


def test_editing_a_thematique_shows_on_the_next_request(client, subvention, sport):
    assert ">Sport</p>" in _page(client)

    sport.libelle = "Sports et loisirs"
    sport.save()

    body = _page(client)
    assert ">Sports et loisirs</p>" in body  # the tile's tag
    assert ">Sports et loisirs</option>" in body  # the filter
    assert ">Sport</p>" not in body


def test_linking_a_thematique_shows_on_the_next_request(client, subvention):
    culture = ThematiqueFactory(slug="culture", libelle="Culture")
    DispositifFactory(titre="Location de salle", thematiques=[culture])
    url = CATALOGUE + "?thematique=culture"
    _page(client, url)
    assert "Subvention aux clubs" not in _page(client, url)

    subvention.thematiques.add(culture)

    assert "Subvention aux clubs" in _page(client, url)


def test_editing_a_profile_type_shows_on_the_next_request(client, subvention):
    assert "Pour : Association" in _page(client)

    TypeProfil.objects.filter(code="association").update(libelle="Association loi 1901")

    assert "Pour : Association loi 1901" in _page(client)


def test_editing_a_piece_shows_on_the_sheet_at_once(client, subvention):
    """Pieces are on the service sheet only, whose own fingerprint reads them
    (tests/portal/test_fiche_cache.py)."""
    piece = PieceAFournirFactory(dispositif=subvention, libelle="Statuts")
    assert "Statuts" in _page(client, subvention.get_absolute_url())

    piece.libelle = "Statuts signés"
    piece.save()

    assert "Statuts signés" in _page(client, subvention.get_absolute_url())


def test_a_publication_window_passing_shows_on_time(client, sport):
    now = timezone.now()
    DispositifFactory(
        titre="Inscriptions d’été",
        thematiques=[sport],
        publie_du=now + datetime.timedelta(hours=1),
        publie_au=now + datetime.timedelta(hours=2),
    )
    assert "Inscriptions d’été" not in _page(client)

    with mock.patch("django.utils.timezone.now", return_value=now + datetime.timedelta(minutes=61)):
        assert "Inscriptions d’été" in _page(client)
    with mock.patch(
        "django.utils.timezone.now", return_value=now + datetime.timedelta(minutes=121)
    ):
        assert "Inscriptions d’été" not in _page(client)


def test_the_fingerprint_follows_the_window_and_nothing_else(subvention):
    now = timezone.now()
    assert catalogue_empreinte(now=now) == catalogue_empreinte(now=now + datetime.timedelta(days=9))
    subvention.publie_au = now + datetime.timedelta(days=1)
    subvention.save()
    assert catalogue_empreinte(now=now) != catalogue_empreinte(now=now + datetime.timedelta(days=2))


def test_filters_and_language_are_in_the_key(client, subvention):
    DispositifFactory(titre="Location de salle")
    assert "Location de salle" in _page(client)
    body = _page(client, CATALOGUE + "?thematique=sport")
    assert "Location de salle" not in body
    assert "Subvention aux clubs" in body
    assert "Location de salle" not in _page(client, CATALOGUE + "?recherche=subvention")


def test_the_profile_preset_is_never_cached_for_others(client, citizen, subvention):
    """A signed-in citizen's preset notice is rendered per request, outside the tiles."""
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    DispositifFactory(titre="Inscription à la cantine", types_profil=["particulier"])
    assert "Démarches proposées pour" not in _page(client)  # the anonymous page, cached
    client.force_login(citizen)
    assert "Démarches proposées pour" in _page(client)
    client.logout()
    body = _page(client)
    assert "Démarches proposées pour" not in body
    assert "Subvention aux clubs" in body


def test_an_anonymous_page_is_served_whole_from_the_cache(client, subvention):
    first = client.get(CATALOGUE)
    with CaptureQueriesContext(connection) as captured:
        second = client.get(CATALOGUE)
    assert len(captured) == 1  # the fingerprint
    assert second.content == first.content
    assert second["Vary"] == first["Vary"]
    htmx = client.get(CATALOGUE, headers={"HX-Request": "true"})
    assert b"<html" not in htmx.content  # the partial has a key of its own
    assert b'hx-swap-oob="innerHTML"' in htmx.content


def test_a_pending_message_is_never_hidden_by_the_cache(client, citizen, subvention):
    _page(client)
    client.force_login(citizen)
    client.post(reverse("account_logout"))  # "Vous êtes déconnecté" waits for the next page

    body = _page(client)

    assert "fr-alert" in body
    assert "fr-alert" not in _page(client)  # shown once; then the cached page again
