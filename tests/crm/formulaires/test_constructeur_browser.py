"""A concepteur creates a dispositif, builds a small form (two tabs, a yes/no field, a
text shown only when yes, two amounts and their sum), previews the citizen's view with
the condition acting live, and publishes it. axe-core on every page displayed."""

import pytest
from playwright.sync_api import expect

from dossiers.models import Champ, Ligne, ModeleDossier, Onglet
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ajouter_champ(page, ligne, type_libelle, libelle, *, colonne=1, nom=None):
    bloc = page.locator(f"#ligne-{ligne.pk}")
    formulaire = bloc.locator(f"form[action$='colonne={colonne}']")
    bloc.locator("summary", has_text="Ajouter un champ").nth(colonne - 1).click()
    formulaire.get_by_label("Type de champ").select_option(label=type_libelle)
    formulaire.get_by_label("Libellé", exact=True).fill(libelle)
    if nom:
        formulaire.get_by_label("Nom technique").fill(nom)
    formulaire.get_by_role("button", name="Ajouter le champ").click()
    expect(page.locator("#constructeur")).to_contain_text(libelle)


def _configurer(page, nom):
    """Open the field's panel in place in the tree (htmx): its heading gets the focus."""
    champ = Champ.objects.get(nom=nom)
    page.get_by_role("link", name=f"Configurer : {champ.libelle}").click()
    panneau = page.locator(f"#champ-{champ.pk}[data-panneau]")
    titre = panneau.get_by_role("heading", level=4)
    expect(titre).to_contain_text(champ.libelle)
    expect(titre).to_be_focused()
    return panneau


def test_concepteur_builds_previews_and_publishes_a_form(page, concepteur):
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(concepteur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.get_by_role("link", name="Formulaires", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formulaires et dispositifs")
    assert_accessible(page, "liste")
    page.get_by_role("link", name="Créer un dispositif").click()
    assert_accessible(page, "dispositif_nouveau")
    page.locator("#id_titre").fill("Location de la salle des fêtes")
    page.locator("#id_slug").fill("location-salle")
    page.locator("#id_code").fill("sal")
    page.locator("#id_resume").fill("Réservez la salle des fêtes pour un événement.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Location de la salle")
    assert_accessible(page, "dispositif_modifier")

    page.get_by_role("link", name="Construire le formulaire").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Formulaire de")
    assert_accessible(page, "constructeur_vide")
    for titre in ("Demandeur", "Projet"):
        page.get_by_label("Titre du nouvel onglet").fill(titre)
        page.get_by_role("button", name="Ajouter un onglet").click()
        expect(page.locator("#constructeur h2", has_text=titre)).to_be_visible()
    modele = ModeleDossier.objects.get(dispositif__slug="location-salle")
    demandeur, projet = Onglet.objects.filter(modele=modele).order_by("ordre")

    page.locator(f"#onglet-{demandeur.pk}").get_by_role("button", name="Ajouter une ligne").click()
    expect(page.locator(f"#onglet-{demandeur.pk}")).to_contain_text("Ligne 1")
    ligne = Ligne.objects.get(onglet=demandeur)
    # The technical name is suggested from the label as it is typed.
    bloc = page.locator(f"#ligne-{ligne.pk}")
    bloc.locator("summary", has_text="Ajouter un champ").click()
    bloc.get_by_label("Libellé", exact=True).fill("Êtes-vous une association ?")
    expect(bloc.get_by_label("Nom technique")).to_have_value("etes_vous_une_association")
    bloc.get_by_label("Type de champ").select_option(label="Oui / Non")
    bloc.get_by_role("button", name="Ajouter le champ").click()
    expect(page.locator("#constructeur")).to_contain_text("etes_vous_une_association")
    _ajouter_champ(page, ligne, "Texte court", "Nom de l’association", nom="nom_association")

    projet_bloc = page.locator(f"#onglet-{projet.pk}")
    projet_bloc.get_by_label("Colonnes").select_option(label="Deux colonnes")
    projet_bloc.get_by_role("button", name="Ajouter une ligne").click()
    expect(projet_bloc).to_contain_text("deux colonnes")
    montants = Ligne.objects.get(onglet=projet)
    _ajouter_champ(page, montants, "Montant en euros", "Coût de la location", nom="cout")
    _ajouter_champ(page, montants, "Montant en euros", "Frais de ménage", nom="menage", colonne=2)
    page.locator(f"#onglet-{projet.pk}").get_by_role("button", name="Ajouter une ligne").click()
    expect(page.locator(f"#onglet-{projet.pk}")).to_contain_text("Ligne 2")
    total = Ligne.objects.filter(onglet=projet).order_by("ordre").last()
    _ajouter_champ(page, total, "Calcul", "Total à payer", nom="total")
    expect(page.locator("#constructeur")).to_contain_text("problème")  # no formula yet
    assert_accessible(page, "constructeur_rempli")

    panneau = _configurer(page, "nom_association")
    assert_accessible(page, "champ_condition")
    panneau.get_by_label("Afficher seulement si le champ").select_option(
        "etes_vous_une_association"
    )
    panneau.get_by_label("Opérateur").select_option("=")
    panneau.locator("[name$=si_valeur]").fill("oui")
    panneau.get_by_role("button", name="Enregistrer le champ").click()
    expect(page.locator("#constructeur")).to_contain_text("conditionnel")
    # The item is back in place, its configure button focused, the save read out.
    expect(page.get_by_role("link", name="Configurer : Nom de l’association")).to_be_focused()
    expect(page.locator("#constructeur-annonce")).to_contain_text("est enregistré")
    assert_accessible(page, "constructeur_condition")

    _ajouter_champ(page, total, "Texte long", "Motif de la gratuité", nom="motif_gratuite")
    panneau = _configurer(page, "motif_gratuite")
    assert_accessible(page, "champ_gratuite")
    panneau.locator("[name$=-condition]").fill('{"champ": "cout", "op": "=", "valeur": "0"}')
    panneau.get_by_role("button", name="Enregistrer le champ").click()
    expect(page.locator(f"#champ-{Champ.objects.get(nom='motif_gratuite').pk}")).to_contain_text(
        "conditionnel"
    )
    assert_accessible(page, "constructeur_gratuite")

    panneau = _configurer(page, "total")
    assert_accessible(page, "champ_calcul")
    panneau.get_by_label("Formule").fill("cout + menage")
    panneau.get_by_role("button", name="Enregistrer le champ").click()
    expect(page.locator("#constructeur")).not_to_contain_text("problème")
    assert_accessible(page, "constructeur_calcul")

    page.get_by_role("link", name="Aperçu usager").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Usager")
    assert_accessible(page, "apercu_usager")
    nom_association = page.get_by_label("Nom de l’association")
    expect(nom_association).to_be_hidden()  # shown only when yes: nothing answered yet
    gratuite = page.get_by_label("Motif de la gratuité")
    expect(gratuite).to_be_hidden()
    page.get_by_label("Coût de la location").fill("0")
    expect(gratuite).to_be_visible()  # the condition acts live, without a reload
    page.get_by_label("Coût de la location").fill("150")
    expect(gratuite).to_be_hidden()
    page.get_by_label("Frais de ménage").fill("35,50")
    expect(page.get_by_label("Total à payer")).to_have_value("185.50")
    assert_accessible(page, "apercu_usager_saisi")

    page.get_by_role("link", name="Retour au constructeur").click()
    assert_accessible(page, "constructeur_avant_publication")
    page.get_by_label("Note de version").fill("Première version")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formulaires et dispositifs")
    expect(page.get_by_text("v1 publiée le")).to_be_visible()
    assert_accessible(page, "publie")
    modele.refresh_from_db()
    assert modele.statut == "publie" and modele.note_version == "Première version"
    assert Champ.objects.get(modele=modele, nom="nom_association").condition == {
        "champ": "etes_vous_une_association",
        "op": "=",
        "valeur": True,
    }


def test_yes_no_condition_acts_live_in_the_preview(page, concepteur):
    from dossiers import services
    from tests.dossiers.factories import DispositifFactory

    modele = services.modele_brouillon(dispositif=DispositifFactory())
    onglet = services.onglet_ajouter(
        modele=modele, titre="A", aide="<p>Décrivez <strong>votre association</strong>.</p>"
    )
    ligne = services.ligne_ajouter(onglet=onglet)
    services.champ_ajouter(ligne=ligne, type="oui_non", libelle="Association ?", nom="asso")
    champ = services.champ_ajouter(ligne=ligne, type="texte", libelle="Son nom", nom="nom")
    services.champ_modifier(
        champ=champ,
        libelle="Son nom",
        nom="nom",
        condition={"champ": "asso", "op": "=", "valeur": True},
    )
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(concepteur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")
    page.goto(f"/crm/formulaires/{modele.dispositif_id}/apercu/internet/")
    # The tab's help is rich text, shown as the wizard shows it (not escaped HTML).
    aide = page.locator(".guichet-texte-riche")
    expect(aide.locator("strong")).to_have_text("votre association")
    expect(aide).not_to_contain_text("<p>")
    assert_accessible(page, "apercu")
    page.get_by_label("Oui").check(force=True)
    expect(page.get_by_label("Son nom")).to_be_visible()
