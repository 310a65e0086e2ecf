"""An admin writes a document template with a condition, sees an unknown variable named
with its line, previews live on a sample context and on a dossier, and publishes.
axe-core on every page displayed."""

import pytest
from playwright.sync_api import expect

from editique.models import ModeleDocument
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.editique.factories import dossier_depose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPS = """<h1>Accusé de réception</h1>
<p>Dossier {{ dossier.reference }} de {{ demandeur.nom_complet }}.</p>
{% if dossier.valeurs.salle_equipee %}<p>Vous avez demandé la salle équipée.</p>{% else %}<p>Vous avez demandé la salle nue.</p>{% endif %}
<p>Montant : {{ dossier.champs.montnt }}</p>"""


def test_admin_writes_previews_and_publishes_a_document_template(
    page, concepteur, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_depose()
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(concepteur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modèles de document")
    assert_accessible(page, "liste_vide")
    page.get_by_role("link", name="Créer un modèle").click()
    assert_accessible(page, "nouveau")
    page.get_by_label("Nom", exact=True).fill("Accusé de réception de location")
    page.get_by_label("Code").fill("accuse-location")
    page.get_by_label("Formulaire").select_option(label="Location de salle")
    page.get_by_label("Corps du document").fill(CORPS)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accusé de réception de location")

    # The unknown variable is named with its line; the sample context has the condition true.
    apercu = page.locator("#apercu")
    expect(apercu).to_contain_text("Ligne 4 : Variable inconnue « dossier.champs.montnt »")
    expect(apercu).to_contain_text("Vouliez-vous dire « montant » ?")
    assert_accessible(page, "modele_probleme")
    page.get_by_role("button", name="Publier ce modèle").click()
    expect(page.locator(".fr-alert--error").first).to_contain_text("Publication refusée")
    assert_accessible(page, "publication_refusee")
    assert not ModeleDocument.objects.get().versions.exists()

    # Fixing it updates the preview live (htmx), without saving.
    corps = page.get_by_label("Corps du document")
    corps.fill(CORPS.replace("montnt", "montant"))
    expect(apercu).to_contain_text("Aucun problème")
    expect(apercu).to_contain_text("Vous avez demandé la salle équipée.")
    expect(apercu).to_contain_text("[Montant demandé]")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".fr-alert--success").first).to_contain_text("est enregistré")

    # On the real dossier: the answer « Non » takes the other branch.
    page.get_by_label("Prévisualiser sur").select_option(value=str(dossier.pk))
    page.get_by_role("button", name="Afficher").click()
    expect(apercu).to_contain_text(f"Aperçu sur le dossier {dossier.reference}")
    expect(apercu).to_contain_text("Vous avez demandé la salle nue.")
    expect(apercu).to_contain_text("Madame Léa Durand")
    assert_accessible(page, "apercu_dossier")

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Aperçu PDF").click()
    assert telechargement.value.suggested_filename == "apercu-accuse-location.pdf"

    page.get_by_role("button", name="Publier ce modèle").click()
    expect(page.locator(".fr-alert--success").first).to_contain_text("Version 1 publiée.")
    assert_accessible(page, "publie")
    page.get_by_role("button", name=f"Produire pour {dossier.reference}").click()
    expect(page.locator(".fr-alert--success").first).to_contain_text("rangé dans le dossier")
    expect(
        page.get_by_role(
            "link", name=f"Accusé de réception de location — {dossier.reference} (PDF)"
        )
    ).to_be_visible()
    assert_accessible(page, "produit")

    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("cell", name="v1 publiée")).to_be_visible()
    assert_accessible(page, "liste")
