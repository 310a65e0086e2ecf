"""A citizen links last year's request of their association in the subsidy wizard (the
demo form's dossier lié): only the association's filed requests are offered, the
follow-up question appears live once one is chosen, and the link is stored."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from demo.formulaires import SUBVENTION
from dossiers import services
from dossiers.models import Dossier
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser import assert_accessible
from tests.dossiers.factories import DispositifFactory
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.services import compte_initialiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _depose(dispositif, user, profil):
    dossier = Dossier(
        dispositif=dispositif,
        modele=services.modele_publie(dispositif),
        cree_par=user,
        demandeur_profil=profil,
        statut=Dossier.Statut.DEPOSE,
        depose_le=timezone.now(),
        donnees={"nom_association": profil.nom},
    )
    with transaction.atomic():  # the reference counter is locked while issued
        dossier.reference = services._prochaine_reference(dispositif, 2025)
        dossier.save()
    return dossier


def test_a_citizen_links_the_associations_previous_request(page, citizen, other_citizen):
    sub = DispositifFactory(
        code="SUB",
        slug="subvention-associations",
        titre="Subvention aux associations",
        types_profil=["association"],
    )
    services.modele_publier(modele=services.modele_importer(SUBVENTION, dispositif=sub), by=None)
    camille = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    lucas = compte_initialiser(user=other_citizen, prenom="Lucas", nom="Bernard")
    asso = ProfilFactory(
        nom="Les Amis du Parc",
        rna="W751234567",
        email="contact@amis-du-parc.fr",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
    )
    MembreFactory(individu=camille, profil=asso, role=role("responsable"))
    MembreFactory(individu=lucas, profil=asso, role=role("membre"))
    precedente = _depose(sub, other_citizen, asso)  # filed by a fellow member
    etrangere = _depose(sub, UserFactory(email="x@exemple.fr"), ProfilFactory(nom="Autres"))

    page.goto("/compte/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique").fill(citizen.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "mon_compte")
    page.get_by_role("button", name="Agir pour ce profil : Les Amis du Parc").click()
    expect(page.get_by_text("Vous agissez maintenant pour le profil")).to_be_visible()
    assert_accessible(page, "profil_courant")

    page.goto(reverse("portal:demande", kwargs={"slug": sub.slug}))
    expect(page.get_by_text("Étape 1 sur 3")).to_be_visible()
    assert_accessible(page, "etape_1")
    page.get_by_label("Domaine d’activité").select_option(label="Sport")
    page.get_by_label("Nombre d’adhérents").fill("42")
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.get_by_text("Étape 2 sur 3")).to_be_visible()
    page.get_by_label("Fonctionnement", exact=True).check(force=True)
    page.get_by_label("Budget total").fill("5000")
    page.get_by_label("Montant demandé").fill("1500")
    lien = page.get_by_label("Demande précédente de l’association")
    options = lien.locator("option").all_inner_texts()
    assert options == [
        "Sélectionner un dossier",
        f"{precedente.reference} — Subvention aux associations (Les Amis du Parc)",
    ]
    assert etrangere.reference not in " ".join(options)
    bilan = page.get_by_label("Qu’a permis la subvention précédente ?")
    expect(bilan).to_be_hidden()
    assert_accessible(page, "etape_2")
    lien.select_option(value=str(precedente.pk))
    expect(bilan).to_be_visible()  # the condition « rempli », live
    assert_accessible(page, "etape_2_lien_choisi")
    bilan.fill("Le tournoi a réuni 200 enfants.")
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.get_by_text("Étape 3 sur 3")).to_be_visible()
    assert_accessible(page, "etape_3")
    page.get_by_text("J’atteste sur l’honneur l’exactitude des informations").click()
    page.get_by_role("button", name="Déposer ma demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est déposée")
    assert_accessible(page, "confirmation")
    depose = Dossier.objects.get(cree_par=citizen)
    assert depose.donnees["demande_precedente"] == {
        "pk": precedente.pk,
        "reference": precedente.reference,
        "dispositif": "Subvention aux associations",
    }
    assert depose.donnees["bilan_precedent"] == "Le tournoi a réuni 200 enfants."
