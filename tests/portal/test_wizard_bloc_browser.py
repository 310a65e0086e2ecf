"""A repeatable block (F12) in the browser: two children added, one removed, the tarif
(nombre(enfants)) and the age (per element) updated live, a condition inside an element,
then submission; the page is audited at each state. And the same without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from demo.formulaires import PERISCOLAIRE
from dossiers import services
from dossiers.models import Dossier
from tests.browser import assert_accessible
from tests.dossiers.factories import DispositifFactory
from usagers.services import compte_initialiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def periscolaire():
    dispositif = DispositifFactory(
        code="PER", slug="inscription-periscolaire", titre="Inscription périscolaire"
    )
    modele = services.modele_importer(PERISCOLAIRE, dispositif=dispositif)
    services.modele_publier(modele=modele, by=None)
    return dispositif


def _connecter(page, live_server, citizen):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    page.context.add_cookies(
        [{"name": "sessionid", "value": _session(citizen), "url": live_server.url}]
    )


def _session(user):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def _remplir(element, prenom, naissance, ecole, classe):
    element.get_by_label("Prénom").fill(prenom)
    element.get_by_label("Nom", exact=True).fill("Martin")
    element.get_by_label("Date de naissance").fill(naissance)
    element.get_by_label("École").select_option(label=ecole)
    element.get_by_label("Classe").select_option(label=classe)


def test_add_two_children_remove_one_and_submit(page, live_server, citizen, periscolaire):
    _connecter(page, live_server, citizen)
    page.goto(f"/demarches/{periscolaire.slug}/demande/")
    expect(page.get_by_text("Étape 1 sur 2")).to_be_visible()
    tarif = page.get_by_label("Tarif annuel estimé")
    expect(tarif).to_have_value("35.00")  # one element shown: the minimum
    assert_accessible(page, "bloc_un_enfant")

    enfants = page.locator("[data-element]")
    _remplir(enfants.nth(0), "Léa", "2019-04-02", "École Jules-Ferry", "CE1")
    expect(enfants.nth(0).get_by_label("Âge")).not_to_have_value("")
    details = enfants.nth(0).get_by_label("Précisez le projet d’accueil")
    expect(details).to_be_hidden()
    enfants.nth(0).get_by_text("Mon enfant a un projet d’accueil individualisé").click()
    expect(details).to_be_visible()  # a condition inside the element, live
    details.fill("Allergie à l’arachide")

    ajouter = page.get_by_role("button", name="Ajouter un enfant")
    ajouter.click()
    expect(enfants).to_have_count(2)
    expect(page.get_by_role("group", name="Enfant 2")).to_be_visible()
    expect(enfants.nth(1).get_by_label("Prénom")).to_be_focused()
    expect(page.locator("[data-bloc-annonce]")).to_have_text("Enfant 2 ajouté.")
    expect(tarif).to_have_value("70.00")
    _remplir(enfants.nth(1), "Tom", "2021-09-15", "École des Tilleuls", "MS")
    # The class is a linked list on the element's own school, live in each element.
    classes = lambda i: enfants.nth(i).get_by_label("Classe").locator("option")  # noqa: E731
    expect(classes(1)).to_have_text(["Sélectionner une option", "PS", "MS", "GS"])
    expect(classes(0)).to_have_text(["Sélectionner une option", "CP", "CE1", "CE2", "CM1", "CM2"])
    ajouter.click()
    expect(enfants).to_have_count(3)
    _remplir(enfants.nth(2), "Zoé", "2017-01-20", "École Jules-Ferry", "CM1")
    expect(tarif).to_have_value("90.00")  # tarif fratrie from three children
    expect(page.get_by_text("le tarif fratrie s’applique")).to_be_visible()
    assert_accessible(page, "bloc_trois_enfants")

    # Remove the second child: the third moves up and takes its place.
    enfants.nth(1).get_by_role("button", name=re.compile("Supprimer cet élément")).click()
    expect(enfants).to_have_count(2)
    expect(enfants.nth(1).get_by_label("Prénom")).to_have_value("Zoé")
    enfants.nth(1).get_by_label("École").select_option(label="École des Tilleuls")
    expect(classes(1)).to_have_text(["Sélectionner une option", "PS", "MS", "GS"])
    enfants.nth(1).get_by_label("École").select_option(label="École Jules-Ferry")
    enfants.nth(1).get_by_label("Classe").select_option(label="CM1")
    expect(page.get_by_role("group", name="Enfant 2")).to_be_focused()
    expect(page.get_by_role("group", name="Enfant 3")).to_have_count(0)
    expect(tarif).to_have_value("70.00")
    expect(page.get_by_text("le tarif fratrie s’applique")).to_be_hidden()
    assert_accessible(page, "bloc_apres_suppression")

    page.get_by_role("button", name="Étape suivante").click()
    expect(page.get_by_text("Étape 2 sur 2")).to_be_visible()
    assert_accessible(page, "bloc_etape_2")
    page.get_by_text("J’ai lu le règlement des accueils périscolaires").first.click()
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est déposée")
    assert_accessible(page, "bloc_confirmation")

    dossier = Dossier.objects.get()
    enfants_stockes = dossier.donnees["enfants"]
    assert [e["prenom_enfant"] for e in enfants_stockes] == ["Léa", "Zoé"]
    assert enfants_stockes[0]["pai"] is True
    assert enfants_stockes[0]["pai_details"] == "Allergie à l’arachide"
    assert "pai_details" not in enfants_stockes[1]
    assert dossier.donnees["tarif_annuel"] == "70.00"


def test_without_javascript_the_buttons_post_and_errors_show_in_the_element(
    page, live_server, citizen, periscolaire
):
    # The page's scripts never load (axe-core is injected by the test, not the page).
    page.route("**/*.js", lambda route: route.abort())
    _connecter(page, live_server, citizen)
    page.goto(f"/demarches/{periscolaire.slug}/demande/")
    assert_accessible(page, "bloc_sans_js")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_role("button", name="Ajouter un enfant").click()
    enfants = page.locator("[data-element]")
    expect(enfants).to_have_count(2)
    expect(enfants.nth(0).get_by_label("Prénom")).to_have_value("Léa")  # kept
    # The tarif reads nombre(enfants): the server computed it from what was posted.
    expect(page.get_by_label("Tarif annuel estimé")).to_have_value("70.00")
    assert re.search(r"#enfants-1-element$", page.url)  # scrolled to the new element
    assert_accessible(page, "bloc_sans_js_ajout")
    enfants.nth(1).get_by_label("Prénom").fill("Tom")
    # Enter submits with the form's default button: "next", never a block's "remove".
    enfants.nth(1).get_by_label("Prénom").press("Enter")
    expect(page.get_by_text("Certaines informations sont à corriger")).to_be_visible()
    expect(enfants.nth(1).get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    expect(enfants.nth(1).get_by_label("Prénom")).to_have_value("Tom")
    assert_accessible(page, "bloc_sans_js_erreurs")
    enfants.nth(0).get_by_role("button", name=re.compile("Supprimer cet élément")).click()
    expect(enfants).to_have_count(1)
    expect(enfants.nth(0).get_by_label("Prénom")).to_have_value("Tom")
    assert_accessible(page, "bloc_sans_js_suppression")
