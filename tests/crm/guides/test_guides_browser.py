"""A concepteur builds a guide in the CRM: creates it, adds étapes and statuts, an
action (a tracking line) picked by type then configured, reorders, sets the allowed next
statut, publishes, exports the version and imports it back as a new draft. axe-core on
every page displayed."""

import json

import pytest
from playwright.sync_api import expect

from instruction.models import Guide, Statut
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.dossiers.factories import DispositifFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_concepteur_builds_publishes_exports_and_imports_a_guide(page, concepteur, tmp_path):
    dispositif = DispositifFactory(titre="Aide aux vacances", code="VAC")
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(concepteur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.get_by_role("link", name="Guides d’instruction", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guides d’instruction")
    assert_accessible(page, "liste")
    page.get_by_role("button", name="Créer le guide de Aide aux vacances").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aide aux vacances — version 1")
    assert_accessible(page, "version_vide")

    guide = page.locator("#guide")
    for libelle in ("Décision", "Dépôt"):
        page.get_by_label("Libellé de la nouvelle étape").fill(libelle)
        page.get_by_role("button", name="Ajouter une étape").click()
        expect(guide.get_by_role("heading", level=2, name=f"{libelle}")).to_be_visible()
    # Reorder: Dépôt first (htmx, no reload).
    page.get_by_role("button", name="Monter : étape Dépôt").click()
    expect(guide.locator("h2").first).to_have_text("Étape 1 : Dépôt")

    for etape, statut in (("Dépôt", "Reçu"), ("Décision", "Accordé")):
        section = guide.locator("section", has=page.get_by_role("heading", name=etape))
        section.get_by_label("Libellé du nouveau statut").fill(statut)
        section.get_by_role("button", name="Ajouter un statut").click()
        expect(guide.get_by_role("heading", level=3, name=statut)).to_be_visible()
    recu = Statut.objects.get(code="recu")
    accorde = Statut.objects.get(code="accorde")

    # An action on « Accordé »: the type first, then its form, in a panel.
    carte = page.locator(f"#statut-{accorde.pk}")
    carte.get_by_label("Type d’action").select_option(
        label="Ajouter une ligne de suivi visible de l’usager"
    )
    carte.get_by_role("button", name="Ajouter une action").click()
    carte.get_by_label("Texte montré à l’usager").fill("Votre aide est accordée.")
    carte.get_by_role("button", name="Enregistrer l’action").click()
    expect(page.locator(f"#statut-{accorde.pk}")).to_contain_text(
        "Texte montré à l’usager : Votre aide est accordée."
    )

    # « Reçu » leads to « Accordé » only, with a citizen-facing label.
    carte = page.locator(f"#statut-{recu.pk}")
    carte.locator("summary", has_text="Modifier le statut").click()
    carte.get_by_label("Libellé usager").fill("Votre demande est bien reçue")
    carte.get_by_label("Accordé").check()
    carte.get_by_role("button", name="Enregistrer le statut").click()
    expect(page.locator(f"#statut-{recu.pk}")).to_contain_text("Votre demande est bien reçue")
    expect(page.locator(f"#statut-{recu.pk} dd").nth(2)).to_have_text("Accordé")
    assert_accessible(page, "version_construite")

    page.get_by_role("button", name="Publier cette version").click()
    expect(page.locator(".fr-alert--success, .fr-notice")).not_to_have_count(0)
    expect(page.get_by_text("lecture seule")).to_be_visible()
    assert_accessible(page, "version_publiee")

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Exporter (JSON)").click()
    fichier = tmp_path / "guide.json"
    telechargement.value.save_as(fichier)
    document = json.loads(fichier.read_text())
    assert [e["libelle"] for e in document["etapes"]] == ["Dépôt", "Décision"]

    page.get_by_role("link", name="Importer un guide").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importer un guide")
    assert_accessible(page, "importer")
    page.get_by_label("Fichier JSON d’un guide exporté par Guichet").set_input_files(fichier)
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aide aux vacances — version 2")
    assert_accessible(page, "version_importee")
    versions = Guide.objects.get(dispositif=dispositif).versions.order_by("numero")
    assert [v.etat for v in versions] == ["publiee", "brouillon"]
    assert versions[1].statuts.get(code="accorde").actions.get().config == {
        "texte": "Votre aide est accordée."
    }
