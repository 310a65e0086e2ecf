"""A concepteur edits the whole-model grid of per-view properties (a refusal shown next
to its cell, then saved; a view copied onto another), configures a field in place in the
builder's tree, edits the dispositif's illustration and links, and reads a published
version's grid. axe-core on every page and state displayed."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from dossiers import services
from dossiers.models import Champ, Dispositif
from tests.accounts.factories import PASSWORD
from tests.browser import SCREENSHOTS, assert_accessible
from tests.dossiers.factories import DispositifFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    contenu = io.BytesIO()
    Image.new("RGB", (640, 360), (106, 106, 244)).save(contenu, "PNG")
    return contenu.getvalue()


def _brouillon():
    dispositif = DispositifFactory(titre="Location de la salle des fêtes")
    modele = services.modele_brouillon(dispositif=dispositif)
    demandeur = services.onglet_ajouter(modele=modele, titre="Demandeur")
    ligne = services.ligne_ajouter(onglet=demandeur, colonnes=2)
    services.champ_ajouter(ligne=ligne, type="oui_non", libelle="Association ?", nom="asso")
    services.champ_ajouter(ligne=ligne, type="texte", libelle="Nom", nom="nom", colonne=2)
    projet = services.onglet_ajouter(modele=modele, titre="Projet")
    ligne = services.ligne_ajouter(onglet=projet, titre_section="Participants")
    bloc = services.champ_ajouter(
        ligne=ligne, type="bloc_repetable", libelle="Participants", nom="participants"
    )
    services.champ_ajouter(ligne=ligne, parent=bloc, type="texte", libelle="Prénom", nom="prenom")
    services.champ_ajouter(ligne=ligne, type="texte_long", libelle="Motif", nom="motif")
    return modele


def _connexion(page, concepteur):
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(concepteur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")


def _case(page, libelle, nom, vue, propriete):
    return page.get_by_label(f"{libelle} ({nom}), vue {vue} : {propriete}", exact=True)


def test_concepteur_edits_the_grid_a_field_in_place_and_the_sheet(page, concepteur):
    modele = _brouillon()
    _connexion(page, concepteur)
    page.goto(f"/crm/formulaires/{modele.dispositif_id}/constructeur/")
    assert_accessible(page, "constructeur")
    page.get_by_role("link", name="Propriétés par vue (grille)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Propriétés par vue")
    grille = page.locator("#grille table")
    expect(grille.locator("th[scope=row]")).to_have_count(5)
    assert_accessible(page, "grille")

    # Required but hidden for the partner: refused next to its cell, nothing saved.
    _case(page, "Motif", "motif", "Partenaire", "visible").uncheck(force=True)
    _case(page, "Motif", "motif", "Partenaire", "obligatoire").check(force=True)
    _case(page, "Nom", "nom", "Partenaire", "modifiable").uncheck(force=True)
    page.get_by_role("button", name="Enregistrer la vue Partenaire").click()
    annonce = page.locator("#grille-annonce")
    expect(annonce).to_contain_text("n’est pas enregistrée")
    expect(annonce).to_be_focused()
    cellule = page.locator(f"#grille-champ-{Champ.objects.get(nom='motif').pk}")
    expect(cellule).to_contain_text("Un champ obligatoire doit être visible et modifiable")
    expect(_case(page, "Motif", "motif", "Partenaire", "obligatoire")).to_be_checked()  # kept
    assert_accessible(page, "grille_erreur")
    assert services.proprietes_vue(Champ.objects.get(nom="nom"), "partenaire").modifiable

    _case(page, "Motif", "motif", "Partenaire", "visible").check(force=True)
    page.get_by_role("button", name="Enregistrer la vue Partenaire").click()
    expect(annonce).to_contain_text("Vue « Partenaire » enregistrée pour 5 champ(s).")
    assert not services.proprietes_vue(Champ.objects.get(nom="nom"), "partenaire").modifiable
    assert services.proprietes_vue(Champ.objects.get(nom="motif"), "partenaire").obligatoire
    assert_accessible(page, "grille_enregistree")

    # The agent's view as the partner's.
    page.get_by_label("Copier la vue").select_option("partenaire")
    page.get_by_label("vers la vue").select_option("crm")
    page.get_by_role("button", name="Copier la vue").click()
    expect(annonce).to_contain_text("copiée vers la vue « Agent")
    expect(_case(page, "Motif", "motif", "Agent (CRM)", "obligatoire")).to_be_checked()
    assert_accessible(page, "grille_copiee")

    # A field configured in place in the tree.
    page.get_by_role("link", name="Retour au constructeur").click()
    assert_accessible(page, "constructeur_retour")
    motif = Champ.objects.get(nom="motif")
    page.get_by_role("link", name="Configurer : Motif").click()
    panneau = page.locator(f"#champ-{motif.pk}[data-panneau]")
    expect(panneau.get_by_role("heading", level=4)).to_be_focused()
    panneau.get_by_label("Libellé").fill("")
    panneau.get_by_role("button", name="Enregistrer le champ").click()
    expect(panneau.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    assert_accessible(page, "panneau_erreur")
    panneau.get_by_label("Libellé").fill("Motif de la demande")
    panneau.get_by_label("Aide").fill("Décrivez l’événement en quelques lignes.")
    panneau.get_by_role("button", name="Enregistrer le champ").click()
    lien = page.get_by_role("link", name="Configurer : Motif de la demande")
    expect(lien).to_be_focused()
    expect(page.locator("#constructeur-annonce")).to_contain_text("est enregistré")
    # Escape closes a panel without saving.
    page.get_by_role("link", name="Configurer : Nom").click()
    nom = page.locator(f"#champ-{Champ.objects.get(nom='nom').pk}[data-panneau]")
    nom.get_by_label("Libellé").fill("Sans effet")
    nom.get_by_label("Libellé").press("Escape")
    expect(page.get_by_role("link", name="Configurer : Nom")).to_be_focused()
    assert_accessible(page, "constructeur_champ_enregistre")
    assert Champ.objects.get(nom="nom").libelle == "Nom"

    # The sheet: illustration, its alternative text, FAQ and terms links.
    page.get_by_role("link", name="Fiche du dispositif").click()
    assert_accessible(page, "fiche")
    page.get_by_role("button", name="Illustration (facultatif)").set_input_files(
        {"name": "salle.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.get_by_label("Texte alternatif de l’illustration").fill("La salle des fêtes")
    page.get_by_label("Dépôt sans compte").check(force=True)
    liens = page.locator("#liens")
    liens.get_by_label("Libellé").fill("Questions fréquentes")
    liens.get_by_label("Adresse (https://…)").fill("https://mairie.fr/faq")
    page.get_by_role("button", name="Ajouter un lien").click()
    nouveau = liens.locator("fieldset").nth(1)
    expect(nouveau.locator("legend")).to_be_focused()
    expect(liens.get_by_label("Libellé").first).to_have_value("Questions fréquentes")  # kept
    nouveau.get_by_label("Libellé").fill("Conditions générales d’utilisation")
    nouveau.get_by_label("Adresse (https://…)").fill("https://mairie.fr/cgu")
    expect(nouveau.get_by_label("Ordre")).to_have_value("1")  # placed last
    assert_accessible(page, "fiche_liens")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("est enregistré")).to_be_visible()
    expect(page.get_by_role("img", name="La salle des fêtes")).to_be_visible()
    assert_accessible(page, "fiche_enregistree")
    dispositif = Dispositif.objects.get(pk=modele.dispositif_id)
    assert dispositif.illustration_alt == "La salle des fêtes" and dispositif.depot_sans_compte
    assert [lien.libelle for lien in dispositif.liens.all()] == [
        "Questions fréquentes",
        "Conditions générales d’utilisation",
    ]

    # A panel left open while the version is published: its save says so, in the panel.
    page.goto(f"/crm/formulaires/{modele.dispositif_id}/constructeur/")
    page.get_by_role("link", name="Configurer : Motif de la demande").click()
    panneau = page.locator(f"#champ-{motif.pk}[data-panneau]")
    expect(panneau.get_by_role("heading", level=4)).to_be_focused()
    services.modele_publier(modele=modele, by=concepteur)
    panneau.get_by_label("Libellé").fill("Trop tard")
    panneau.get_by_role("button", name="Enregistrer le champ").click()
    alerte = panneau.locator(f"#champ-{motif.pk}-panneau-alerte .fr-alert")
    expect(alerte).to_contain_text("Cette version a été publiée entre-temps")
    expect(alerte).to_be_focused()
    expect(panneau.get_by_label("Libellé")).to_have_value("Trop tard")  # input kept on screen
    assert_accessible(page, "panneau_version_publiee")
    assert Champ.objects.get(pk=motif.pk).libelle == "Motif de la demande"
    alerte.get_by_role("link", name="Recharger le constructeur").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "constructeur_nouveau_brouillon")

    # A published version's grid is read-only.
    page.goto(f"/crm/formulaires/versions/{modele.pk}/proprietes/")
    expect(page.get_by_text("la grille est en lecture seule")).to_be_visible()
    expect(page.locator("#grille input[type=checkbox]")).to_have_count(0)
    assert_accessible(page, "grille_publiee")


def test_a_long_grid_saves_a_view_without_scrolling_to_its_foot(page, concepteur):
    """The save buttons sit in a bar sticky at the foot of the screen: reachable at the
    top of a long table, and still there halfway down."""
    dispositif = DispositifFactory(titre="Inscription aux activités périscolaires")
    modele = services.modele_brouillon(dispositif=dispositif)
    ligne = services.ligne_ajouter(onglet=services.onglet_ajouter(modele=modele, titre="Tout"))
    for n in range(1, 41):
        services.champ_ajouter(ligne=ligne, type="texte", libelle=f"Question {n}", nom=f"q{n}")
    _connexion(page, concepteur)
    page.goto(f"/crm/formulaires/versions/{modele.pk}/proprietes/")
    hauteur = page.viewport_size["height"]
    derniere = page.locator("#grille table tbody tr").last
    assert derniere.bounding_box()["y"] > hauteur  # the table runs past the screen
    bouton = page.get_by_role("button", name="Enregistrer la vue Partenaire")

    def a_l_ecran():
        boite = bouton.bounding_box()
        return boite["y"] >= 0 and boite["y"] + boite["height"] <= hauteur

    assert a_l_ecran()
    assert_accessible(page, "grille_longue")
    _case(page, "Question 20", "q20", "Partenaire", "modifiable").scroll_into_view_if_needed()
    _case(page, "Question 20", "q20", "Partenaire", "modifiable").uncheck(force=True)
    assert a_l_ecran()
    page.screenshot(path=SCREENSHOTS / "test_grille_longue__barre_au_milieu.png")
    bouton.click()
    expect(page.locator("#grille-annonce")).to_contain_text(
        "Vue « Partenaire » enregistrée pour 40 champ(s)."
    )
    assert not services.proprietes_vue(Champ.objects.get(nom="q20"), "partenaire").modifiable
    assert_accessible(page, "grille_longue_enregistree")
