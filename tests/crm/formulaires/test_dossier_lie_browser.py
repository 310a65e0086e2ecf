"""A concepteur configures a « Dossier lié » field (its options: dispositifs allowed,
drafts, several dossiers, same demandeur) and previews it: nobody fills a preview, so
it shows an example and says so. axe-core on every page displayed."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from demo.formulaires import SUBVENTION
from dossiers import services
from dossiers.models import Champ
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.dossiers.factories import DispositifFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_concepteur_configures_and_previews_a_linked_dossier(page, concepteur):
    sub = DispositifFactory(code="SUB", titre="Subvention aux associations")
    DispositifFactory(code="SAL", titre="Location de salle")
    modele = services.modele_importer(SUBVENTION, dispositif=sub)
    champ = Champ.objects.get(modele=modele, nom="demande_precedente")

    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(concepteur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.goto(reverse("crm:formulaire_champ", args=[champ.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(champ.libelle)
    expect(page.get_by_label("Subvention aux associations (SUB)")).to_be_checked()
    expect(page.get_by_label("Location de salle (SAL)")).not_to_be_checked()
    assert_accessible(page, "options")
    page.get_by_label("Location de salle (SAL)").check(force=True)
    page.get_by_label("Plusieurs dossiers peuvent être liés").check(force=True)
    page.get_by_role("button", name="Enregistrer le champ").click()
    expect(page.get_by_text("est enregistré")).to_be_visible()
    assert_accessible(page, "constructeur")
    champ.refresh_from_db()
    assert champ.options == {
        "dispositifs": ["SAL", "SUB"],  # in the order of the list (by title)
        "multiple": True,
        "meme_profil": True,
    }

    page.goto(reverse("crm:formulaire_apercu", args=[sub.pk, "internet"]))
    expect(
        page.get_by_text("Aperçu : l’usager choisira ici parmi ses propres dossiers")
    ).to_be_visible()
    exemple = page.get_by_role("checkbox", name="Exemple : ")  # several: checkboxes
    expect(exemple).to_have_accessible_name(
        "Exemple : " + f"{timezone.localdate().year}-SAL-000123 — une démarche de l’usager"
    )
    assert_accessible(page, "apercu")
