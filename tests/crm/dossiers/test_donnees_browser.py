"""An instructeur edits a field of a dossier on its Données tab, in place (C3): a bad
amount is refused next to its field, the new value is shown, and the history has the
before → after."""

import pytest
from playwright.sync_api import expect

from dossiers.models import ProprietesVue, Vue
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.usagers.factories import IndividuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_instructeur_edits_a_field_of_the_dossier(page, instructeur):
    dispositif = dispositif_publie(
        champs=(
            ("nom_association", "Nom de l’association", "texte"),
            ("montant", "Montant demandé", "montant"),
            ("justification", "Justification d’un montant élevé", "texte"),
        )
    )
    # Shown only above 1,000 €: live in the form that htmx brings in.
    dispositif.modeles.get().champs.filter(nom="justification").update(
        condition={"champ": "montant", "op": ">", "valeur": 1000}
    )
    ProprietesVue.objects.create(
        champ=dispositif.modeles.get().champs.get(nom="nom_association"),
        vue=Vue.CRM,
        modifiable=False,
    )
    dossier = deposer(
        dispositif,
        individu=IndividuFactory(prenom="Léa", nom="Durand"),
        donnees={"nom_association": "Les Tréteaux de Loire", "montant": "1500"},
    )

    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(instructeur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.goto(f"/crm/dossiers/{dossier.pk}/donnees/")
    expect(page.locator(".guichet-fiche")).to_contain_text("1 500,00 €")
    assert_accessible(page, "dossier_donnees_modifiable")

    page.get_by_role("link", name="Modifier « Demande »").click()
    expect(page.get_by_label("Nom de l’association")).to_be_disabled()
    expect(page.get_by_label("Justification d’un montant élevé")).to_be_visible()
    assert_accessible(page, "dossier_donnees_formulaire")
    page.get_by_label("Montant demandé").fill("800")
    expect(page.get_by_label("Justification d’un montant élevé")).to_be_hidden()
    page.get_by_label("Montant demandé").fill("beaucoup")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".fr-message--error")).to_contain_text("montant")
    expect(page.get_by_label("Montant demandé")).to_have_value("beaucoup")
    assert_accessible(page, "dossier_donnees_erreur")
    # The form sent back with the error is live too.
    page.get_by_label("Montant demandé").fill("5 000")
    expect(page.get_by_label("Justification d’un montant élevé")).to_be_visible()

    page.get_by_label("Montant demandé").fill("1 200")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("sont enregistrées")
    expect(page.locator(".guichet-fiche")).to_contain_text("1 200,00 €")
    assert_accessible(page, "dossier_donnees_enregistrees")

    page.get_by_role("link", name="Historique").click()
    expect(page.locator("table")).to_contain_text("Montant demandé : 1 500,00 € → 1 200,00 €")
    assert_accessible(page, "dossier_donnees_historique")
