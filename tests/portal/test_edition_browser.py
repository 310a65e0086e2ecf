"""Browser journeys of who edits a dossier (F14): a co-editor invited, accepting and
completing the draft; a transfer accepted by its recipient. axe-core on every page."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from dossiers.models import Dossier
from notifications.models import Message
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.dossiers.edition import brouillon, depose, dispositif_petit
from usagers.services import compte_initialiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, email, name):
    expect(page.get_by_role("heading", level=1)).to_contain_text("Connexion")
    assert_accessible(page, name)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def _logout(page, name):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    assert_accessible(page, name)


def _lien(evenement):
    corps = Message.objects.get(evenement=evenement).corps
    return urlparse(re.search(r"https?://\S+/", corps).group(0)).path


def test_the_author_invites_a_coeditor_who_accepts_and_completes_the_draft(
    page, citizen, other_citizen
):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    compte_initialiser(user=other_citizen, prenom="Dominique", nom="Voisin")
    aide = dispositif_petit()
    dossier = brouillon(aide, citizen, motif="")

    page.goto("/compte/connexion/")
    _login(page, citizen.email, "connexion")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_text("supprimé le")).to_be_visible()
    assert_accessible(page, "mon_compte")
    page.get_by_role("link", name=f"Partager : {aide.titre}").click()

    expect(page.get_by_role("heading", level=2, name="Partage")).to_be_visible()
    assert_accessible(page, "partage")
    page.get_by_label("Adresse électronique de la personne").first.fill("pas-une-adresse")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.get_by_text("Saisissez une adresse électronique valide")).to_be_visible()
    assert_accessible(page, "partage_erreur")
    page.get_by_label("Adresse électronique de la personne").first.fill(other_citizen.email)
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.get_by_text(f"Invitation envoyée à {other_citizen.email}.")).to_be_visible()
    expect(page.get_by_role("cell", name=other_citizen.email, exact=True)).to_be_visible()
    assert_accessible(page, "invitation_envoyee")
    lien = _lien("dossier.coediteur_invite")
    _logout(page, "deconnecte")

    page.goto(lien)
    _login(page, other_citizen.email, "connexion_coediteur")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation à compléter une demande")
    assert_accessible(page, "invitation")
    page.get_by_role("button", name="Accepter l’invitation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(aide.titre)
    assert_accessible(page, "etape_1")
    page.get_by_role("button", name="Étape suivante").click()
    expect(page.get_by_label("Motif de la demande")).to_be_visible()
    assert_accessible(page, "etape_2")
    page.get_by_label("Motif de la demande").fill("Complété par Dominique")
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est déposée")
    assert_accessible(page, "confirmation")

    dossier.refresh_from_db()
    assert dossier.statut == Dossier.Statut.DEPOSE and dossier.cree_par == citizen
    assert dossier.donnees["motif"] == "Complété par Dominique"


def test_a_transfer_accepted_by_its_recipient(page, citizen, other_citizen):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    compte_initialiser(user=other_citizen, prenom="Dominique", nom="Voisin")
    aide = dispositif_petit()
    dossier = depose(aide, citizen)

    page.goto(f"/mon-compte/demandes/{dossier.pk}/partage/")
    _login(page, citizen.email, "connexion")
    expect(
        page.get_by_role("heading", level=3, name="Confier la demande à une autre personne")
    ).to_be_visible()
    assert_accessible(page, "partage")
    page.get_by_label("Adresse électronique de la personne").last.fill(other_citizen.email)
    page.get_by_role("button", name="Proposer le transfert").click()
    expect(page.get_by_text("en attente de sa réponse")).to_be_visible()
    assert_accessible(page, "transfert_propose")
    lien = _lien("dossier.transfert_propose")
    _logout(page, "deconnecte")

    page.goto(lien)
    _login(page, other_citizen.email, "connexion_destinataire")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande à reprendre")
    assert_accessible(page, "transfert")
    page.get_by_role("button", name="Accepter la demande").click()
    expect(page.get_by_text("Cette demande est désormais la vôtre.")).to_be_visible()
    assert_accessible(page, "transfert_accepte")

    dossier.refresh_from_db()
    assert dossier.cree_par == other_citizen


def test_on_behalf_draft_limit_deletion_and_modification_pages(page, citizen):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    aide = dispositif_petit(brouillons_max=1)
    ancien = brouillon(aide, citizen)
    depot = depose(aide, citizen)

    page.goto(aide.get_absolute_url())
    assert_accessible(page, "fiche")
    page.get_by_role("link", name="Faire une demande pour un proche").click()
    _login(page, citizen.email, "connexion")
    expect(page.get_by_role("heading", level=1)).to_have_text("Faire une demande pour un proche")
    assert_accessible(page, "pour_autrui")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Date de naissance").fill("1940-05-01")
    page.get_by_role("button", name="Continuer vers le formulaire").click()
    expect(page.get_by_text("Indiquez le prénom de la personne.")).to_be_visible()
    expect(page.get_by_label("Nom", exact=True)).to_have_value("Durand")
    assert_accessible(page, "pour_autrui_erreurs")
    page.get_by_label("Prénom").fill("Louise")
    page.get_by_role("button", name="Continuer vers le formulaire").click()

    expect(page.get_by_label("Prénom")).to_have_value("Louise")
    assert_accessible(page, "etape_1_pour_autrui")
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nombre maximum de brouillons atteint"
    )
    assert_accessible(page, "brouillons_limite")
    page.get_by_role("link", name="Supprimer").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer un brouillon")
    assert_accessible(page, "brouillon_supprimer")
    page.get_by_role("button", name="Supprimer le brouillon").click()
    expect(page.get_by_text("est supprimé")).to_be_visible()
    assert_accessible(page, "mon_compte")
    assert not Dossier.objects.filter(pk=ancien.pk).exists()

    page.goto(f"/mon-compte/demandes/{depot.pk}/modifier/")
    expect(page.get_by_text(f"Modification de la demande {depot.reference}")).to_be_visible()
    assert_accessible(page, "modifier_etape_1")
    page.get_by_role("button", name="Étape suivante").click()
    page.get_by_label("Motif de la demande").fill("")
    page.get_by_role("button", name="Enregistrer mes modifications").click()
    expect(page.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    assert_accessible(page, "modifier_erreur")
    page.get_by_label("Motif de la demande").fill("Facture d’eau")
    page.get_by_role("button", name="Enregistrer mes modifications").click()
    expect(page.get_by_text("Vos modifications sont enregistrées.")).to_be_visible()
    assert_accessible(page, "modifie")
    depot.refresh_from_db()
    assert depot.donnees["motif"] == "Facture d’eau" and depot.modifications_usager == 1
