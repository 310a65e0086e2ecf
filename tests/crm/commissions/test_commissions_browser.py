"""Issue 9's journey of I6, « a commission held with decisions »: the commission's
secretary creates a séance, puts three dossiers of the CRM list on its agenda, records
the decisions with their amounts inline, closes the séance and downloads its minutes.
axe-core on every page displayed."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from instruction.models import ChangementStatut, Seance
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser import assert_accessible
from tests.dossiers.factories import donner_droits
from tests.instruction import commissions as c
from tests.usagers.factories import IndividuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commission_held_with_decisions(page):
    secretaire = UserFactory(email="secretariat@exemple.fr", agent=True)
    secretaire.user_permissions.add(Permission.objects.get(codename="gerer_commissions"))
    donner_droits(secretaire)  # a profil métier instructing every dispositif (C7)
    dispositif, statuts = c.dispositif_instruit()
    commission = c.commission(dispositif, nom="Commission vie associative")
    dossiers = []
    for nom in ("Amicale laïque", "Chorale du Bourg", "Club de tennis"):
        dossier = c.dossier_en_instruction(dispositif, statuts, nom=nom)
        dossier.demandeur_individu = IndividuFactory(nom=nom)
        dossier.save(update_fields=["demandeur_individu"])
        dossiers.append(dossier)

    page.goto("/crm/connexion/")
    assert_accessible(page, "crm_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(secretaire.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "crm_tableau_de_bord")

    # The séance.
    page.get_by_role("link", name="Commissions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Commissions")
    assert_accessible(page, "commissions")
    page.get_by_role("link", name="Nouvelle séance", exact=True).click()
    assert_accessible(page, "seance_nouvelle")
    page.get_by_label("Commission").select_option(label=commission.nom)
    page.get_by_label("Date et heure").fill("2027-03-12T18:30")
    page.get_by_label("Lieu").fill("Salle du conseil municipal")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Séance — Commission vie associative")
    assert_accessible(page, "seance_vide")
    seance = Seance.objects.get()

    # Three dossiers of the list on its agenda.
    page.get_by_role("link", name="Dossiers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers")
    assert_accessible(page, "liste_selection_commission")
    for dossier in dossiers:
        page.get_by_label(f"Sélectionner le dossier {dossier.reference}").check(force=True)
    page.get_by_role("button", name="Inscrire en commission").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire des dossiers en commission")
    assert_accessible(page, "inscrire_choix")
    page.get_by_label("Séance").select_option(label=str(seance))
    page.get_by_role("button", name="Inscrire à l’ordre du jour").click()
    expect(page.get_by_role("status")).to_contain_text("3 dossiers inscrits")
    assert_accessible(page, "inscrire_bilan")
    page.get_by_role("link", name="Voir la séance").click()
    expect(page.locator("#totaux")).to_contain_text("3 dossiers à l’ordre du jour")

    # The decisions, saved inline (htmx): the row and the totals change in place.
    points = {p.dossier_id: p for p in seance.points.all()}
    # A negative amount: refused inline, next to the field, the input kept.
    premiere = page.locator(f"#point-{points[dossiers[0].pk].pk}")
    premiere.get_by_label("Décision", exact=True).select_option(label="Favorable")
    premiere.get_by_label("Montant accordé (€)").fill("-5")
    premiere.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(f"#point-{points[dossiers[0].pk].pk}")).to_contain_text(
        "Le montant accordé ne peut pas être négatif."
    )
    expect(premiere.get_by_label("Montant accordé (€)")).to_have_value("-5")
    assert_accessible(page, "seance_erreur_montant")
    decisions = [("Favorable", "1 500"), ("Favorable", "750,50"), ("Défavorable", "")]
    for dossier, (decision, montant) in zip(dossiers, decisions, strict=True):
        ligne = page.locator(f"#point-{points[dossier.pk].pk}")
        ligne.get_by_label("Décision", exact=True).select_option(label=decision)
        if montant:
            ligne.get_by_label("Montant accordé (€)").fill(montant)
        else:
            ligne.get_by_label("Motivation").fill("Projet hors du champ du règlement")
        ligne.get_by_role("button", name="Enregistrer").click()
        expect(page.locator(f"#point-{points[dossier.pk].pk}")).to_contain_text(
            "Décision enregistrée."
        )
    expect(page.locator("#totaux")).to_contain_text("2 favorable(s)")
    expect(page.locator("#montant-total")).to_have_text("2\u202f250,50\u00a0€")
    assert_accessible(page, "seance_decisions")
    # Each decision moved its dossier through the guide.
    assert ChangementStatut.objects.filter(vers__code="accorde").count() == 2
    assert ChangementStatut.objects.filter(vers__code="refuse").count() == 1

    # Closed, then the minutes.
    page.get_by_role("button", name="Clore la séance").click()
    expect(page.get_by_role("button", name="Clore la séance")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Close")
    assert_accessible(page, "seance_close")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Procès-verbal").click()
    fichier = telechargement.value
    assert fichier.suggested_filename == "proces-verbal-2027-03-12.pdf"
    with open(fichier.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
