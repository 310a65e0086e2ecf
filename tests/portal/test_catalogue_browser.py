import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.dossiers.factories import (
    DispositifFactory,
    LienDispositifFactory,
    PieceAFournirFactory,
    ThematiqueFactory,
)
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.services import compte_initialiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue():
    sport = ThematiqueFactory(slug="sport", libelle="Sport", icone="fr-icon-trophy-line")
    culture = ThematiqueFactory(slug="culture", libelle="Culture")
    subvention = DispositifFactory(
        titre="Subvention aux associations sportives",
        slug="subvention-associations-sportives",
        resume="Une aide au fonctionnement des clubs sportifs de la commune.",
        complet=True,
        thematiques=[sport],
        types_profil=["association"],
        mots_cles="club, licence",
    )
    PieceAFournirFactory(
        dispositif=subvention,
        libelle="Budget prévisionnel",
        precision="Sur la saison à venir, signé par le président.",
        avec_modele=True,
        ordre=1,
    )
    PieceAFournirFactory(
        dispositif=subvention, libelle="Statuts de l’association", obligatoire=False, ordre=2
    )
    LienDispositifFactory(
        dispositif=subvention,
        libelle="Règlement des subventions",
        url="https://www.exemple.fr/reglement",
    )
    DispositifFactory(
        titre="Réserver une salle municipale",
        resume="Pour une fête, une réunion ou un spectacle.",
        thematiques=[sport, culture],
    )
    DispositifFactory(
        titre="Aide à la rénovation des vitrines",
        resume="Pour les commerces du centre-ville.",
        types_profil=["entreprise"],
    )
    DispositifFactory(
        titre="Inscription à la cantine",
        resume="Les repas des écoliers.",
        types_profil=["particulier"],
    )
    return subvention


def _cards(page):
    return page.locator("#resultats .fr-card__title")


def test_visitor_filters_the_catalogue_opens_a_sheet_and_downloads_a_template(page, catalogue):
    page.goto("/")
    assert_accessible(page, "accueil")
    page.get_by_role("link", name="Faire une demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Démarches en ligne")
    expect(_cards(page)).to_have_count(4)
    assert_accessible(page, "catalogue")

    page.get_by_label("Thématique").select_option(label="Sport")
    expect(_cards(page)).to_have_count(2)  # htmx refreshed the results only
    expect(page.get_by_role("heading", name="2 démarches")).to_be_visible()
    assert "thematique=sport" in page.url
    assert_accessible(page, "catalogue_sport")

    page.get_by_label("Type de profil").select_option(label="Association")
    expect(_cards(page)).to_have_count(2)
    page.get_by_label("Thématique").select_option(label="Toutes les thématiques")
    expect(_cards(page)).to_have_count(2)
    expect(page.get_by_role("link", name="Aide à la rénovation des vitrines")).to_have_count(0)
    assert_accessible(page, "catalogue_association")

    page.get_by_role("searchbox", name="Rechercher une démarche").fill("clubs")
    page.get_by_role("button", name="Rechercher").click()
    expect(_cards(page)).to_have_count(1)
    assert_accessible(page, "catalogue_recherche")

    page.get_by_role("searchbox", name="Rechercher une démarche").fill("piscine")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Aucune démarche ne correspond à votre recherche")).to_be_visible()
    assert_accessible(page, "catalogue_vide")

    page.get_by_role("searchbox", name="Rechercher une démarche").fill("club")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Subvention aux associations sportives").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Subvention aux associations sportives"
    )
    main = page.get_by_role("main")
    for titre in [
        "Comment faire",
        "Qui peut en bénéficier",
        "Pièces à fournir",
        "Faire ma demande",
        "Contacts et aide",
        "En savoir plus",
    ]:
        expect(main.get_by_role("heading", level=2, name=titre)).to_be_visible()
    expect(main.get_by_text("sera bientôt disponible")).to_be_visible()
    expect(main.get_by_text("Obligatoire", exact=True)).to_be_visible()
    expect(main.get_by_text("Facultatif", exact=True)).to_be_visible()
    expect(main.get_by_role("link", name="vie-associative@mairie.exemple.fr")).to_have_attribute(
        "href", "mailto:vie-associative@mairie.exemple.fr"
    )
    expect(main.get_by_role("link", name="Règlement des subventions")).to_have_attribute(
        "target", "_blank"
    )
    assert_accessible(page, "fiche")

    with page.expect_download() as download_info:
        main.get_by_role("link", name="Télécharger le modèle : Budget prévisionnel").click()
    download = download_info.value
    assert download.suggested_filename == "modele.pdf"
    with open(download.path(), "rb") as fichier:
        assert fichier.read().startswith(b"%PDF-1.4")

    page.get_by_role("navigation", name="vous êtes ici :").get_by_role(
        "link", name="Démarches"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Démarches en ligne")
    assert_accessible(page, "retour_catalogue")
    page.get_by_role("link", name="Association", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Démarches pour les associations")
    expect(_cards(page)).to_have_count(2)
    assert_accessible(page, "catalogue_associations")


def test_citizen_acting_for_an_association_sees_the_catalogue_pre_filtered(
    page, citizen, catalogue
):
    individu = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    MembreFactory(
        profil=ProfilFactory(nom="Les Amis du Parc"), individu=individu, role=role("responsable")
    )
    page.goto("/compte/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique").fill(citizen.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "mon_compte")
    page.get_by_role("button", name="Agir pour ce profil : Les Amis du Parc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "profil_courant_choisi")

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Démarches"
    ).click()
    expect(
        page.get_by_text("Démarches proposées pour : Les Amis du Parc (association)")
    ).to_be_visible()
    expect(page.get_by_label("Type de profil")).to_have_value("association")
    expect(_cards(page)).to_have_count(2)
    assert_accessible(page, "catalogue_preselectionne")

    page.get_by_role("link", name="Voir toutes les démarches").click()
    expect(_cards(page)).to_have_count(4)
    expect(page.get_by_text("Démarches proposées pour")).to_have_count(0)
    assert_accessible(page, "catalogue_tout")
