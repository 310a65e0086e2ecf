import html
import re

import pytest
from django.urls import reverse

from portal.compte import PROFIL_COURANT
from tests.dossiers.factories import (
    PDF,
    DispositifFactory,
    LienDispositifFactory,
    PieceAFournirFactory,
    ThematiqueFactory,
)
from tests.queries import assert_page_budget
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.models import TypeProfil
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("portal:catalogue")


@pytest.fixture
def catalogue():
    sport = ThematiqueFactory(slug="sport", libelle="Sport")
    culture = ThematiqueFactory(slug="culture", libelle="Culture")
    return {
        "subvention": DispositifFactory(
            titre="Subvention aux associations sportives",
            resume="Une aide au fonctionnement des clubs.",
            thematiques=[sport],
            types_profil=["association"],
        ),
        "salle": DispositifFactory(titre="Réserver une salle", thematiques=[sport, culture]),
        "commerce": DispositifFactory(
            titre="Aide aux commerces", types_profil=["entreprise"], mots_cles="vitrine"
        ),
        "cantine": DispositifFactory(
            titre="Inscription à la cantine", types_profil=["particulier"]
        ),
        "fermee": DispositifFactory(titre="Ancienne démarche", expire=True, thematiques=[sport]),
    }


def _titres(response) -> list[str]:
    """The tiles' titles, read from the page (it may come whole from the cache, without
    a template context)."""
    body = response.content.decode()
    return sorted(html.unescape(t) for t in re.findall(r'fr-card__title"><a [^>]*>([^<]*)<', body))


def test_catalogue_lists_published_dispositifs_as_cards(client, catalogue):
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert _titres(response) == [
        "Aide aux commerces",
        "Inscription à la cantine",
        "Réserver une salle",
        "Subvention aux associations sportives",
    ]
    body = response.content.decode()
    assert "<h1>Démarches en ligne</h1>" in body
    assert 'class="fr-card fr-enlarge-link"' in body
    assert f'href="{catalogue["salle"].get_absolute_url()}"' in body
    assert '<p class="fr-tag fr-tag--sm">Culture</p>' in body
    assert "Ancienne démarche" not in body
    # Only the themes that have a published dispositif are offered.
    assert [t.slug for t in response.context["thematiques"]] == ["culture", "sport"]


@pytest.mark.parametrize(
    ("params", "titres"),
    [
        ({"thematique": "culture"}, ["Réserver une salle"]),
        (
            {"type": "association"},
            ["Réserver une salle", "Subvention aux associations sportives"],
        ),
        ({"thematique": "sport", "type": "entreprise"}, ["Réserver une salle"]),
        ({"recherche": "association"}, ["Subvention aux associations sportives"]),
        ({"recherche": "vitrine"}, ["Aide aux commerces"]),
        # Unknown values are ignored, not answered with an empty page.
        ({"thematique": "inconnue", "type": "martien"}, None),
    ],
)
def test_catalogue_filters(client, catalogue, params, titres):
    response = client.get(CATALOGUE, params)
    expected = titres or _titres(client.get(CATALOGUE))
    assert _titres(response) == expected


def test_filters_are_kept_in_the_form(client, catalogue):
    body = client.get(
        CATALOGUE, {"thematique": "sport", "type": "association", "recherche": "club"}
    ).content.decode()
    assert '<option value="sport" selected>' in body
    assert '<option value="association" selected>' in body
    assert 'value="club"' in body


def test_empty_result_says_what_to_do(client, catalogue):
    body = client.get(CATALOGUE, {"recherche": "piscine"}).content.decode()
    assert "Aucune démarche ne correspond à votre recherche" in body
    assert "Voir toutes les démarches" in body


def test_htmx_request_gets_the_results_partial(client, catalogue):
    response = client.get(CATALOGUE, {"thematique": "culture"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "Réserver une salle" in body
    assert 'hx-swap-oob="innerHTML"' in body and "1 démarche trouvée" in body
    assert "HX-Request" in response["Vary"]


@pytest.fixture
def individu(citizen):
    return compte_initialiser(user=citizen, prenom="Camille", nom="Martin")


def test_signed_in_citizen_sees_the_démarches_of_the_personal_profil(client, citizen, individu):
    DispositifFactory(titre="Inscription à la cantine", types_profil=["particulier"])
    DispositifFactory(titre="Aide aux commerces", types_profil=["entreprise"])
    client.force_login(citizen)
    response = client.get(CATALOGUE)
    assert response.context["filtres"]["type"] == "particulier"
    assert _titres(response) == ["Inscription à la cantine"]
    body = response.content.decode()
    assert "Démarches proposées pour : Camille MARTIN (particulier)" in body
    assert f'href="{CATALOGUE}?type="' in body  # see all
    assert '<option value="particulier" selected>' in body


def test_preset_follows_the_current_profil_and_yields_to_chosen_filters(
    client, citizen, individu, catalogue
):
    asso = ProfilFactory(nom="Les Amis du Parc")
    MembreFactory(profil=asso, individu=individu, role=role("responsable"))
    client.force_login(citizen)
    session = client.session
    session[PROFIL_COURANT] = asso.pk
    session.save()
    response = client.get(CATALOGUE)
    assert "Démarches proposées pour : Les Amis du Parc (association)" in response.content.decode()
    assert _titres(response) == ["Réserver une salle", "Subvention aux associations sportives"]
    # "Voir toutes les démarches", or any filter chosen: no preset.
    response = client.get(CATALOGUE, {"type": ""})
    assert response.context["profil_preselectionne"] is None
    assert response.context["resultats"].nombre == 4
    response = client.get(CATALOGUE, {"thematique": "culture"})
    assert _titres(response) == ["Réserver une salle"]


def test_anonymous_visitor_gets_no_preset(client, catalogue):
    response = client.get(CATALOGUE)
    assert response.context["profil_preselectionne"] is None
    assert "Démarches proposées pour" not in response.content.decode()


def test_page_per_profile_type(client, catalogue):
    response = client.get(reverse("portal:catalogue_type", kwargs={"code": "association"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Démarches pour les associations</h1>" in body
    assert _titres(response) == ["Réserver une salle", "Subvention aux associations sportives"]
    assert 'name="type"' not in body  # the type is the page's
    response = client.get(
        reverse("portal:catalogue_type", kwargs={"code": "association"}),
        {"thematique": "culture", "type": "entreprise"},
    )
    assert _titres(response) == ["Réserver une salle"]


def test_page_per_profile_type_without_a_known_title_uses_the_label(client):
    TypeProfil.objects.create(code="copropriete", libelle="Copropriété")
    response = client.get(reverse("portal:catalogue_type", kwargs={"code": "copropriete"}))
    assert "<h1>Démarches : Copropriété</h1>" in response.content.decode()


@pytest.mark.parametrize("code", ["inconnu", "foyer"])
def test_page_per_profile_type_404_for_unknown_or_inactive_type(client, code):
    TypeProfil.objects.filter(code="foyer").update(actif=False)
    assert client.get(reverse("portal:catalogue_type", kwargs={"code": code})).status_code == 404


def _grow_catalogue():
    for _ in range(5):
        themes = [ThematiqueFactory(), ThematiqueFactory()]
        DispositifFactory(thematiques=themes, types_profil=["association", "entreprise"])


@pytest.mark.parametrize("signed_in", [False, True])
def test_catalogue_query_budget(client, citizen, individu, catalogue, signed_in):
    if signed_in:
        client.force_login(citizen)
    # Anonymous: the catalogue's fingerprint, then, when it changed (the grown data),
    # thèmes, types, dispositifs + 2 prefetches; signed in: session, user, profil too.
    assert_page_budget(client, CATALOGUE, budget=9 if signed_in else 6, grow=_grow_catalogue)
    _grow_catalogue()  # a catalogue never seen: nothing of it in the cache
    assert_page_budget(
        client, CATALOGUE + "?thematique=sport&recherche=subvention", budget=9, grow=_grow_catalogue
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_unchanged_catalogue_costs_one_query(client, citizen, individu, catalogue, signed_in):
    """Once rendered, the tiles and filter lists come from the cache: the fingerprint is
    the only query of an anonymous visit (plus session, user, profil when signed in)."""
    if signed_in:
        client.force_login(citizen)
    client.get(CATALOGUE)
    assert_page_budget(client, CATALOGUE, budget=4 if signed_in else 1)


def test_page_per_type_query_budget(client, catalogue):
    url = reverse("portal:catalogue_type", kwargs={"code": "association"})
    assert_page_budget(client, url, budget=6, grow=_grow_catalogue)
    assert_page_budget(client, url, budget=1)


# The service sheet --------------------------------------------------------------------------


@pytest.fixture
def fiche():
    dispositif = DispositifFactory(
        titre="Subvention aux associations",
        slug="subvention-associations",
        complet=True,
        thematiques=[ThematiqueFactory(libelle="Vie associative", slug="vie-associative")],
        types_profil=["association"],
    )
    PieceAFournirFactory(
        dispositif=dispositif,
        libelle="Budget prévisionnel",
        precision="Sur l’année à venir.",
        avec_modele=True,
        ordre=1,
    )
    PieceAFournirFactory(dispositif=dispositif, libelle="Statuts", obligatoire=False, ordre=2)
    LienDispositifFactory(
        dispositif=dispositif, libelle="Règlement des subventions", url="https://exemple.fr/r"
    )
    return dispositif


def test_fiche_shows_the_six_blocks_in_order(client, fiche):
    response = client.get(fiche.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    titres = [
        'class="fr-text--lead"',
        ">Comment faire</h2>",
        ">Qui peut en bénéficier</h2>",
        ">Pièces à fournir</h2>",
        ">Faire ma demande</h2>",
        ">Contacts et aide</h2>",
        ">En savoir plus</h2>",
    ]
    positions = [body.index(titre) for titre in titres]
    assert positions == sorted(positions)
    assert '<p class="fr-tag">Vie associative</p>' in body
    assert "<li>Avoir son siège dans la commune</li>" in body
    # Breadcrumb: Accueil › Démarches › titre.
    assert f'<a class="fr-breadcrumb__link" href="{CATALOGUE}">Démarches</a>' in body
    assert 'aria-current="page">Subvention aux associations</a>' in body


def test_fiche_pieces_with_badges_and_template_link(client, fiche):
    body = client.get(fiche.get_absolute_url()).content.decode()
    piece = fiche.pieces.get(libelle="Budget prévisionnel")
    url = reverse("portal:fiche_modele", kwargs={"slug": fiche.slug, "piece_pk": piece.pk})
    assert f'href="{url}"' in body
    assert '<span class="fr-link__detail">PDF</span>' in body
    assert "Obligatoire</span>" in body and "Facultatif</span>" in body
    assert body.count("Télécharger le modèle") == 1  # Statuts has none


def test_fiche_start_block_is_a_callout_until_the_form_exists(client, fiche):
    body = client.get(fiche.get_absolute_url()).content.decode()
    assert "Le formulaire en ligne de cette démarche sera bientôt disponible." in body
    assert "contactez le service ci-dessous" in body
    assert "Faire ma demande sans compte" not in body  # no dead link


def test_fiche_contacts_and_links(client, fiche):
    body = client.get(fiche.get_absolute_url()).content.decode()
    assert 'href="mailto:vie-associative@mairie.exemple.fr"' in body
    assert 'href="tel:+33238000000">02 38 00 00 00</a>' in body
    assert "Du lundi au vendredi, de 9 h à 17 h" in body
    assert "<p>Une permanence a lieu le mardi.</p>" in body
    assert (
        '<a class="fr-link" href="https://exemple.fr/r" target="_blank" rel="noopener" '
        'title="Règlement des subventions — nouvelle fenêtre">'
    ) in body


def test_fiche_shows_only_filled_blocks(client):
    dispositif = DispositifFactory(depot_avec_compte=False)
    body = client.get(dispositif.get_absolute_url()).content.decode()
    for titre in [
        "Comment faire",
        "Qui peut en bénéficier",
        "Pièces à fournir",
        "Faire ma demande",
        "Contacts et aide",
        "En savoir plus",
    ]:
        assert f">{titre}</h2>" not in body
    assert dispositif.resume in body


def test_fiche_callout_without_contacts_does_not_point_below(client):
    dispositif = DispositifFactory()
    body = client.get(dispositif.get_absolute_url()).content.decode()
    assert "Le formulaire en ligne de cette démarche sera bientôt disponible." in body
    assert "ci-dessous" not in body


def test_rich_text_is_cleaned_again_when_shown(client):
    dispositif = DispositifFactory(mode_operatoire="<p>Étape 1</p>")
    # Written behind save()'s back (a bulk update, an old row): the filter cleans it.
    type(dispositif).objects.filter(pk=dispositif.pk).update(
        mode_operatoire='<p onclick="alert(1)">Étape 1</p><script>alert("x")</script>',
        aide='<a href="javascript:alert(1)">aide</a><img src=x onerror=alert(2)>',
    )
    body = client.get(dispositif.get_absolute_url()).content.decode()
    assert "<p>Étape 1</p>" in body
    assert "alert" not in body
    assert "onerror" not in body and "javascript:" not in body
    assert '<a rel="noopener noreferrer">aide</a>' in body


@pytest.mark.parametrize("trait", ["inactif", "a_venir", "expire"])
def test_unpublished_fiche_is_404(client, trait):
    dispositif = DispositifFactory(**{trait: True})
    assert client.get(dispositif.get_absolute_url()).status_code == 404


def test_unknown_fiche_is_404(client):
    assert client.get(reverse("portal:fiche", kwargs={"slug": "inconnue"})).status_code == 404


def test_fiche_query_budget(client, fiche):
    def grow():
        for _ in range(4):
            PieceAFournirFactory(dispositif=fiche, avec_modele=True)
            LienDispositifFactory(dispositif=fiche)
        fiche.thematiques.add(ThematiqueFactory())

    # The page's fingerprint (then, unchanged, the cache serves it in that one query:
    # tests/portal/test_fiche_cache.py), dispositif + pieces, liens, thématiques, types.
    assert_page_budget(client, fiche.get_absolute_url(), budget=6, grow=grow)


# Template downloads ----------------------------------------------------------------------------


def _modele_url(piece, slug=None):
    return reverse(
        "portal:fiche_modele", kwargs={"slug": slug or piece.dispositif.slug, "piece_pk": piece.pk}
    )


def test_template_download_is_an_attachment_with_its_file_name(client, fiche):
    piece = fiche.pieces.get(libelle="Budget prévisionnel")
    response = client.get(_modele_url(piece))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # the test client closes the file after
    assert content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="modele.pdf"'


def test_template_download_keeps_the_uploaded_name_when_storage_renamed_it(client, fiche):
    first = fiche.pieces.get(libelle="Budget prévisionnel")
    second = PieceAFournirFactory(dispositif=fiche, avec_modele=True)
    assert first.modele.name != second.modele.name  # the storage added a suffix
    for piece in (first, second):
        response = client.get(_modele_url(piece))
        b"".join(response.streaming_content)  # the test client closes the file after
        assert response["Content-Disposition"] == 'attachment; filename="modele.pdf"'


def test_template_download_404s(client, fiche):
    sans_modele = fiche.pieces.get(libelle="Statuts")
    autre = PieceAFournirFactory(avec_modele=True)
    fermee = PieceAFournirFactory(dispositif=DispositifFactory(inactif=True), avec_modele=True)
    assert client.get(_modele_url(sans_modele)).status_code == 404
    assert client.get(_modele_url(autre, slug=fiche.slug)).status_code == 404  # not this sheet's
    assert client.get(_modele_url(fermee)).status_code == 404


def test_home_and_menu_link_the_catalogue(client):
    body = client.get(reverse("portal:home")).content.decode()
    assert f'<a class="fr-nav__link" href="{CATALOGUE}"' in body
    assert f'<h3 class="fr-tile__title"><a href="{CATALOGUE}">Faire une demande</a></h3>' in body


def test_empty_catalogue_says_so_without_blaming_the_search(client):
    body = client.get(CATALOGUE).content.decode()
    assert "Aucune démarche n’est proposée en ligne pour le moment" in body
    assert "Vérifiez l’orthographe" not in body
