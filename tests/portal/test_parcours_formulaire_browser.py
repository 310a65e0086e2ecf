"""Issue 5's journey end to end: a concepteur builds a form in the CRM builder (a
condition, a repeatable block and a calcul over it), publishes it; a citizen fills it in
the portal (the condition and the calcul act live), saves a draft, resumes, submits.
axe-core on every page displayed."""

import pytest
from playwright.sync_api import expect

from dossiers.models import Champ, Dossier, Ligne, ModeleDossier, Onglet
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.formulaires.test_constructeur_browser import _ajouter_champ, _configurer
from tests.dossiers.factories import DispositifFactory
from usagers.services import compte_initialiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _construire(page, concepteur, dispositif):
    page.goto("/crm/connexion/")
    assert_accessible(page, "crm_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(concepteur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "crm_tableau_de_bord")
    page.goto(f"/crm/formulaires/{dispositif.pk}/constructeur/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Formulaire de")
    assert_accessible(page, "constructeur")

    page.get_by_label("Titre du nouvel onglet").fill("Votre foyer")
    page.get_by_role("button", name="Ajouter un onglet").click()
    expect(page.locator("#constructeur h2", has_text="Votre foyer")).to_be_visible()
    onglet = Onglet.objects.get(modele__dispositif=dispositif)
    page.locator(f"#onglet-{onglet.pk}").get_by_role("button", name="Ajouter une ligne").click()
    expect(page.locator(f"#onglet-{onglet.pk}")).to_contain_text("Ligne 1")
    ligne = Ligne.objects.get(onglet=onglet)
    _ajouter_champ(page, ligne, "Oui / Non", "Êtes-vous allocataire de la CAF ?", nom="caf")
    _ajouter_champ(page, ligne, "Texte court", "Numéro d’allocataire", nom="numero_caf")
    _ajouter_champ(page, ligne, "Bloc répétable", "Enfants à inscrire", nom="enfants")

    # The block's sub-fields, added inside it.
    bloc = Champ.objects.get(nom="enfants")
    zone = page.locator(f"#champ-{bloc.pk}")
    for type_libelle, libelle, nom in (
        ("Texte court", "Prénom de l’enfant", "prenom_enfant"),
        ("Montant en euros", "Frais de cantine", "frais"),
    ):
        zone.locator("summary", has_text="Ajouter un sous-champ").click()
        formulaire = zone.locator("form[action*='parent=']")
        formulaire.get_by_label("Type de champ").select_option(label=type_libelle)
        formulaire.get_by_label("Libellé", exact=True).fill(libelle)
        formulaire.get_by_label("Nom technique").fill(nom)
        formulaire.get_by_role("button", name="Ajouter le champ").click()
        expect(page.locator("#constructeur")).to_contain_text(libelle)
    assert_accessible(page, "constructeur_bloc")

    # Each field is configured in a panel opened in place in the tree.
    panneau = _configurer(page, "enfants")
    panneau.get_by_label("Nombre minimum d’éléments").fill("1")
    panneau.get_by_label("Nom d’un élément").fill("Enfant")
    panneau.get_by_label("Texte du bouton d’ajout").fill("Ajouter un enfant")
    assert_accessible(page, "champ_bloc")
    panneau.get_by_role("button", name="Enregistrer le champ").click()
    expect(page.locator("#constructeur")).to_be_visible()
    assert_accessible(page, "constructeur_bloc_configure")

    panneau = _configurer(page, "numero_caf")
    assert_accessible(page, "champ_condition")
    panneau.get_by_label("Afficher seulement si le champ").select_option("caf")
    panneau.get_by_label("Opérateur").select_option("=")
    panneau.locator("[name$=si_valeur]").fill("oui")
    panneau.get_by_role("button", name="Enregistrer le champ").click()
    expect(page.locator("#constructeur")).to_contain_text("conditionnel")
    assert_accessible(page, "constructeur_condition")

    page.locator(f"#onglet-{onglet.pk}").get_by_role("button", name="Ajouter une ligne").click()
    expect(page.locator(f"#onglet-{onglet.pk}")).to_contain_text("Ligne 2")
    total = Ligne.objects.filter(onglet=onglet).order_by("ordre").last()
    _ajouter_champ(page, total, "Calcul", "Total des frais", nom="total")
    panneau = _configurer(page, "total")
    assert_accessible(page, "champ_calcul")
    panneau.get_by_label("Formule").fill("somme(enfants.frais)")
    panneau.get_by_role("button", name="Enregistrer le champ").click()
    expect(page.locator("#constructeur")).not_to_contain_text("problème")
    assert_accessible(page, "constructeur_complet")

    # The citizen's view, previewed: the block, its add button and the total act live.
    page.get_by_role("link", name="Aperçu usager").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Usager")
    page.get_by_label("Frais de cantine").fill("12,50")
    page.get_by_role("button", name="Ajouter un enfant").click()
    page.get_by_label("Frais de cantine").nth(1).fill("10")
    expect(page.get_by_label("Total des frais")).to_have_value("22.50")
    assert_accessible(page, "apercu_bloc")
    page.get_by_role("link", name="Retour au constructeur").click()
    assert_accessible(page, "constructeur_avant_publication")

    page.get_by_label("Note de version").fill("Inscriptions 2027")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("v1 publiée le")).to_be_visible()
    assert_accessible(page, "publie")
    page.context.clear_cookies()


def test_concepteur_builds_and_citizen_fills_saves_resumes_and_submits(page, concepteur, citizen):
    dispositif = DispositifFactory(titre="Inscription à la cantine", slug="cantine")
    _construire(page, concepteur, dispositif)
    modele = ModeleDossier.objects.get(dispositif=dispositif)
    assert modele.statut == "publie"

    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    page.goto("/compte/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique").fill(citizen.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "mon_compte")

    page.goto("/demarches/cantine/demande/")
    expect(page.get_by_text("Étape 1 sur 1")).to_be_visible()
    assert_accessible(page, "etape")
    numero = page.get_by_label("Numéro d’allocataire")
    expect(numero).to_be_hidden()
    page.get_by_label("Oui").check(force=True)
    expect(numero).to_be_visible()  # the condition acts live
    numero.fill("1234567")
    page.get_by_label("Prénom de l’enfant").fill("Léa")
    page.get_by_label("Frais de cantine").fill("42,50")
    page.get_by_role("button", name="Ajouter un enfant").click()
    page.get_by_label("Prénom de l’enfant").nth(1).fill("Tom")
    page.get_by_label("Frais de cantine").nth(1).fill("30")
    expect(page.get_by_label("Total des frais")).to_have_value("72.50")  # live
    assert_accessible(page, "etape_remplie")

    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "brouillon_enregistre")
    dossier = Dossier.objects.get(dispositif=dispositif)
    assert dossier.statut == "brouillon"
    assert [e["prenom_enfant"] for e in dossier.donnees["enfants"]] == ["Léa", "Tom"]

    page.get_by_role("link", name="Reprendre").first.click()
    expect(page.get_by_label("Prénom de l’enfant").nth(1)).to_have_value("Tom")
    expect(page.get_by_label("Numéro d’allocataire")).to_have_value("1234567")
    assert_accessible(page, "repris")
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est déposée")
    assert_accessible(page, "depose")

    dossier.refresh_from_db()
    assert dossier.statut == "depose" and dossier.reference
    assert dossier.donnees["caf"] is True and dossier.donnees["numero_caf"] == "1234567"
    assert dossier.donnees["total"] == "72.50"
    assert [e["frais"] for e in dossier.donnees["enfants"]] == ["42.50", "30.00"]
