"""Rendered wizard steps reused (portal/etapes_rendues.py): a step served from the cache
is byte-identical to one rendered afresh, and every input its rendering depends on
changes the key, so an edit shows on the next request."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from bench.web import formulaire_150
from demo.formulaires import PERISCOLAIRE, SUBVENTION
from demo.formulaires_commune import MODELES
from dossiers import champs as types_de_champ
from dossiers import services
from dossiers.champs import registry
from dossiers.champs.natifs.saisie import Texte
from dossiers.models import Champ, ProprietesVue, ValeurListe
from portal import etapes_rendues, views_wizard
from tests.demo.test_formulaires_commune import REPONSES, Posted
from tests.dossiers.factories import DispositifFactory
from tests.usagers.factories import MembreFactory, ProfilFactory, role, type_profil
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

CHAMPS_SIMPLES = ["texte", "email", "telephone", "date", "entier", "montant", "texte_long", "siret"]
CHAMPS_SIMPLES += ["choix_unique_liste", "choix_unique_radio", "oui_non", "bloc_repetable"]
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
CSRF_VALEUR = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _cache_vide():
    etapes_rendues.vider()
    yield
    etapes_rendues.vider()


@pytest.fixture
def individu(citizen):
    return compte_initialiser(user=citizen, prenom="Camille", nom="Martin")


@pytest.fixture
def signed_in(client, citizen, individu):
    client.force_login(citizen)
    return client


@pytest.fixture
def rendus():
    """Counts the steps rendered afresh (the cache's misses and uncached pages)."""
    with mock.patch.object(views_wizard, "_rendre", wraps=views_wizard._rendre) as espion:
        yield espion


def _publier(formulaire, code, *, slug=None):
    dispositif = DispositifFactory(code=code, slug=slug or code.lower(), titre=f"Démarche {code}")
    modele = services.modele_importer(formulaire, dispositif=dispositif)
    return dispositif, services.modele_publier(modele=modele, by=None)


def _etat(client, dispositif, modele, *, etape=0, donnees=None, profil=None):
    session = client.session
    session[f"{views_wizard.SESSION_PREFIX}{dispositif.pk}"] = {
        "modele": modele.pk,
        "profil": profil.pk if profil else None,
        "dossier": None,
        "donnees": donnees or {},
        "etape": etape,
    }
    session.save()


def _page(client, dispositif) -> str:
    response = client.get(reverse("portal:demande", kwargs={"slug": dispositif.slug}))
    assert response.status_code == 200
    return CSRF.sub(r"\1…\2", response.content.decode())


def _reponses(dispositif, user, code) -> dict:
    """The demo's answers to every step of `code`'s form, as the session keeps them."""
    dossier = services.dossier_commencer(dispositif=dispositif, user=user)
    onglets = services.modele_onglets(dossier.modele)
    for onglet in services.etapes_visibles(dossier, onglets):
        cleaned, _erreurs = services.etape_valider(
            dossier=dossier, onglet=onglet, data=Posted(REPONSES[code])
        )
        services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
    return dossier.donnees


def _formulaires():
    yield "SUB", SUBVENTION
    yield "PER", PERISCOLAIRE
    yield "BW150", formulaire_150()
    for modele in MODELES:
        yield modele["dispositif"], modele


AUTRES_REPONSES = {
    "SUB": {"nom_association": "Les Amis du Parc", "domaine": "sport", "nb_adherents": 42},
    "PER": {"enfants": [{"prenom_enfant": "Léa", "nom_enfant": "Martin"}]},
    "BW150": {"champ_009": "oui", "champ_002": 4, "champ_017": 3.5, "champ_008": "q03"},
}


@pytest.mark.parametrize(("code", "formulaire"), list(_formulaires()), ids=lambda v: v)
def test_a_cached_step_is_byte_identical_to_a_fresh_one(
    signed_in, citizen, rendus, code, formulaire
):
    """Every step of the demo forms (conditions, calculs, repeatable blocks, lists, every
    field type they use), empty and with the demo's answers, one field read-only (in PER, the repeatable block)."""
    dispositif, modele = _publier(formulaire, code)
    champ = (
        Champ.objects.filter(modele=modele, parent__isnull=True, type__in=CHAMPS_SIMPLES)
        .order_by("ligne__onglet__ordre", "ligne__ordre", "colonne")
        .first()
    )
    ProprietesVue.objects.update_or_create(
        champ=champ, vue="internet", defaults={"modifiable": False, "obligatoire": False}
    )
    reponses = AUTRES_REPONSES.get(code) or _reponses(dispositif, citizen, code)
    nombre = len(services.modele_onglets(modele))
    pages = []
    hits = 0
    for donnees in ({}, reponses):
        for etape in range(nombre):
            _etat(signed_in, dispositif, modele, etape=etape, donnees=donnees)
            with override_settings(GUICHET_CACHE_ETAPES=False):
                frais = _page(signed_in, dispositif)
            rendus.reset_mock()
            mis_en_cache = _page(signed_in, dispositif)
            assert rendus.call_count <= 1  # a miss (or a step already seen: a hit)
            rendus.reset_mock()
            servi = _page(signed_in, dispositif)
            if rendus.call_count:  # only a step holding a contextual field (dossier_lie)
                assert rendus.call_count == 1
                assert etapes_rendues.contextuelle(rendus.call_args.args[0])
            else:
                hits += 1  # served from the cache
            assert servi == mis_en_cache == frais
            pages.append(servi)
    desactive = re.compile(
        rf'<(input|textarea|select)[^>]* name="[^"]*{champ.nom}[^"]*"[^>]* disabled'
    )
    assert any(desactive.search(page) for page in pages), champ.nom
    assert hits >= nombre  # every step without a contextual field came from the cache


@pytest.fixture
def sub():
    return _publier(SUBVENTION, "SUB", slug="subvention")


def test_a_central_list_value_edited_added_or_removed_shows_at_once(signed_in, sub, rendus):
    dispositif, modele = sub
    _etat(signed_in, dispositif, modele)
    assert "Sport" in _page(signed_in, dispositif)
    valeur = ValeurListe.objects.get(liste__code="domaine-associatif", cle="sport")

    valeur.libelle = "Sports et loisirs"
    valeur.save()
    assert "Sports et loisirs" in _page(signed_in, dispositif)

    ValeurListe.objects.create(liste=valeur.liste, cle="jeux", libelle="Jeux de société")
    assert "Jeux de société" in _page(signed_in, dispositif)

    ValeurListe.objects.filter(liste=valeur.liste, cle="jeux").update(active=False)
    assert "Jeux de société" not in _page(signed_in, dispositif)

    valeur.delete()
    body = _page(signed_in, dispositif)
    assert "Sports et loisirs" not in body
    rendus.reset_mock()
    assert _page(signed_in, dispositif) == body
    assert rendus.call_count == 0  # the same state again: from the cache


def test_other_answers_show_their_values(signed_in, sub, rendus):
    dispositif, modele = sub
    _etat(signed_in, dispositif, modele, donnees={"nom_association": "Les Amis du Parc"})
    assert 'value="Les Amis du Parc"' in _page(signed_in, dispositif)

    _etat(signed_in, dispositif, modele, donnees={"nom_association": "Club des Tilleuls"})
    body = _page(signed_in, dispositif)
    assert 'value="Club des Tilleuls"' in body
    assert "Les Amis du Parc" not in body
    # The same answers in another order: another data-donnees, so another key.
    a, b = (
        {"nom_association": "A", "rna": "W751234567"},
        {"rna": "W751234567", "nom_association": "A"},
    )
    _etat(signed_in, dispositif, modele, donnees=a)
    _page(signed_in, dispositif)
    rendus.reset_mock()
    _etat(signed_in, dispositif, modele, donnees=b)
    _page(signed_in, dispositif)
    assert rendus.call_count == 1


def test_another_profile_type_is_another_key(signed_in, sub, individu, rendus):
    dispositif, modele = sub
    association = ProfilFactory()
    entreprise = ProfilFactory(type_profil=type_profil("entreprise"), rna="")
    for profil in (association, entreprise):
        MembreFactory(individu=individu, profil=profil, role=role("responsable"))

    _etat(signed_in, dispositif, modele, profil=association)
    assert 'data-profil="association"' in _page(signed_in, dispositif)
    _etat(signed_in, dispositif, modele, profil=entreprise)
    rendus.reset_mock()
    assert 'data-profil="entreprise"' in _page(signed_in, dispositif)
    assert rendus.call_count == 1
    _etat(signed_in, dispositif, modele, profil=association)
    rendus.reset_mock()
    assert 'data-profil="association"' in _page(signed_in, dispositif)
    assert rendus.call_count == 0


def test_a_new_publication_shows_its_fields(signed_in, sub):
    dispositif, modele = sub
    _etat(signed_in, dispositif, modele)
    assert "Nom de l’association" in _page(signed_in, dispositif)

    brouillon = services.modele_brouillon(dispositif=dispositif)
    Champ.objects.filter(modele=brouillon, nom="nom_association").update(
        libelle="Dénomination de l’association"
    )
    nouvelle = services.modele_publier(modele=brouillon, by=None)
    _etat(signed_in, dispositif, nouvelle)

    assert "Dénomination de l’association" in _page(signed_in, dispositif)


def test_editing_a_published_structure_here_shows_at_once(signed_in, sub):
    """A published version only changes by hand; any save of its structure in this
    process empties the structures read, and with them the keys of their steps."""
    dispositif, modele = sub
    _etat(signed_in, dispositif, modele)
    assert "disabled" not in _page(signed_in, dispositif)
    champ = Champ.objects.get(modele=modele, nom="nom_association")
    ProprietesVue.objects.update_or_create(
        champ=champ, vue="internet", defaults={"modifiable": False, "obligatoire": False}
    )
    assert "disabled" in _page(signed_in, dispositif)

    champ.libelle = "Nom complet de l’association"
    champ.save()
    assert "Nom complet de l’association" in _page(signed_in, dispositif)


def test_language_and_date_are_in_the_key(signed_in, sub, citizen):
    dispositif, modele = sub
    structure = services.modele_structure(modele)
    onglet = structure.onglets[0]
    dossier = services.dossier_commencer(dispositif=dispositif, user=citizen)
    cle = etapes_rendues.cle(structure.empreinte, onglet, dossier)

    assert cle is not None
    assert etapes_rendues.cle(structure.empreinte, onglet, dossier) == cle
    with translation.override("en"):
        assert etapes_rendues.cle(structure.empreinte, onglet, dossier) != cle
    demain = timezone.localdate() + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=demain):
        assert etapes_rendues.cle(structure.empreinte, onglet, dossier) != cle
    assert etapes_rendues.cle(structure.empreinte, structure.onglets[1], dossier) != cle
    assert etapes_rendues.cle(None, onglet, dossier) is None  # a draft: never cached


def test_a_step_with_errors_is_never_cached(signed_in, sub, rendus):
    dispositif, modele = sub
    _etat(signed_in, dispositif, modele)
    propre = _page(signed_in, dispositif)
    url = reverse("portal:demande", kwargs={"slug": dispositif.slug})

    response = signed_in.post(url, {"guichet-etape": "0", "nb_adherents": "abc"})
    assert "Certaines informations sont à corriger" in response.content.decode()

    rendus.reset_mock()
    assert _page(signed_in, dispositif) == propre
    assert rendus.call_count == 0


class TexteContextuel(Texte):
    """A test-only type whose rendering would depend on the signed-in usager."""

    code = "test_contextuel"
    contextuel = True


@pytest.fixture
def type_contextuel():
    registry.register(TexteContextuel)
    yield types_de_champ.get(TexteContextuel.code)
    registry._TYPES.pop(TexteContextuel.code, None)


def test_a_step_with_a_contextual_field_is_never_cached(signed_in, type_contextuel, rendus):
    formulaire = formulaire_150()
    formulaire["onglets"][0]["lignes"][0]["champs"][0]["type"] = TexteContextuel.code
    dispositif, modele = _publier(formulaire, "CTX")
    _etat(signed_in, dispositif, modele)

    for _fois in range(3):
        _page(signed_in, dispositif)
    assert rendus.call_count == 3
    onglets = services.modele_onglets(modele)
    assert etapes_rendues.contextuelle(onglets[0])
    assert not etapes_rendues.contextuelle(onglets[1])  # the other step is cached

    _etat(signed_in, dispositif, modele, etape=1)
    rendus.reset_mock()
    _page(signed_in, dispositif)
    _page(signed_in, dispositif)
    assert rendus.call_count == 1


def test_a_contextual_sub_field_of_a_block_counts_too(type_contextuel):
    dispositif, modele = _publier(PERISCOLAIRE, "PER")
    sous = Champ.objects.filter(modele=modele, parent__isnull=False).first()
    Champ.objects.filter(pk=sous.pk).update(type=TexteContextuel.code)
    services._STRUCTURES.clear()  # the update() bypassed the signals
    onglet = next(
        o
        for o in services.modele_onglets(modele)
        if any(c.pk == sous.parent_id for ligne in o.lignes.all() for c in ligne.champs.all())
    )
    assert etapes_rendues.contextuelle(onglet)


# The whole page (portal/etapes_rendues.cle_page) -------------------------------------


@pytest.fixture
def pages():
    """Counts the pages rendered afresh (the page cache's misses)."""
    original = views_wizard.render_to_string

    def compter(template_name, *args, **kwargs):
        if template_name == "portal/wizard.html":
            compter.n += 1
        return original(template_name, *args, **kwargs)

    compter.n = 0
    with mock.patch.object(views_wizard, "render_to_string", compter):
        yield compter


def test_a_cached_page_gets_each_requests_own_csrf_token(signed_in, sub, pages):
    dispositif, modele = sub
    _etat(signed_in, dispositif, modele)
    url = reverse("portal:demande", kwargs={"slug": dispositif.slug})
    jetons = set()
    for _fois in range(2):
        response = signed_in.get(url)
        jetons.update(CSRF_VALEUR.findall(response.content.decode()))
        assert etapes_rendues.JETON not in response.content.decode()
        assert response.cookies["csrftoken"].value
    assert pages.n == 1
    assert len(jetons) == 2  # masked differently, each valid for the cookie


def test_the_page_is_per_account(signed_in, sub, pages, client, other_citizen):
    dispositif, modele = sub
    _etat(signed_in, dispositif, modele)
    premier = _page(signed_in, dispositif)
    compte_initialiser(user=other_citizen, prenom="Paul", nom="Voisin")
    client.force_login(other_citizen)
    _etat(client, dispositif, modele)

    assert _page(client, dispositif) == premier
    assert pages.n == 2


def test_a_dispositif_edited_shows_at_once(signed_in, sub):
    dispositif, modele = sub
    _etat(signed_in, dispositif, modele)
    _page(signed_in, dispositif)
    type(dispositif).objects.filter(pk=dispositif.pk).update(titre="Titre changé en masse")

    assert "Titre changé en masse" in _page(signed_in, dispositif)


def test_a_pending_message_is_shown_and_the_page_not_kept(signed_in, sub, pages):
    dispositif, modele = sub
    _etat(signed_in, dispositif, modele)
    _page(signed_in, dispositif)
    stockage = CookieStorage(RequestFactory().get("/"))
    signed_in.cookies["messages"] = stockage._encode([Message(constants.INFO, "Bonjour !")])

    assert "Bonjour !" in _page(signed_in, dispositif)
    assert "Bonjour !" not in _page(signed_in, dispositif)  # shown once
    assert pages.n == 1  # the page with the message was rendered apart; then the first
