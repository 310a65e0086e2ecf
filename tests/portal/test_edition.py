"""Who edits a dossier on the portal (F14, P7, F10): drafts in Mon compte, the partage
tab, invitation and transfer links, filing on behalf, « Modifier ma demande »."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers import services_edition
from dossiers.champs.natifs.communs import MESSAGE_OBLIGATOIRE
from dossiers.models import CoEditeur, Dossier, Historique, InvitationDossier, TransfertDossier
from tests.accounts.factories import UserFactory
from tests.dossiers.edition import brouillon, depose, dispositif_petit
from usagers.models import Individu
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db


@pytest.fixture
def aide(db):
    return dispositif_petit()


@pytest.fixture
def auteur(citizen):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    return citizen


@pytest.fixture
def ami(other_citizen):
    compte_initialiser(user=other_citizen, prenom="Dominique", nom="Voisin")
    return other_citizen


def _etape(client, url, etape, action="suivant", **data):
    return client.post(url, {"guichet-etape": etape, "guichet-action": action, **data})


# Drafts ----------------------------------------------------------------------------------


def test_mon_compte_shows_each_drafts_expiry_and_deletes_after_confirmation(
    client, aide, auteur, ami
):
    dossier = brouillon(aide, auteur)
    client.force_login(auteur)
    body = client.get(reverse("portal:account")).content.decode()
    # The page shows local time (Europe/Paris): late in the UTC evening it is the next day.
    expire = timezone.localtime(services_edition.brouillon_expire_le(dossier))
    assert f"supprimé le {expire.day}" in body
    url = reverse("portal:brouillon_supprimer", args=[dossier.pk])
    assert url in body

    assert "sera supprimé définitivement" in client.get(url).content.decode()
    assert Dossier.objects.exists()
    client.force_login(ami)
    assert client.post(url).status_code == 404
    client.force_login(auteur)
    assert client.post(url).status_code == 302
    assert not Dossier.objects.exists()


def test_saving_one_draft_too_many_lists_the_drafts_and_keeps_the_input(client, aide, auteur):
    aide.brouillons_max = 1
    aide.save()
    existant = brouillon(aide, auteur)
    client.force_login(auteur)
    url = reverse("portal:demande", kwargs={"slug": aide.slug})
    client.get(url)
    response = _etape(client, url, 0, "brouillon", nom="Martin", prenom="Léa")

    assert response.status_code == 200
    body = response.content.decode()
    assert "le nombre maximum" in body
    assert reverse("portal:demande_reprendre", args=[existant.pk]) in body
    assert reverse("portal:brouillon_supprimer", args=[existant.pk]) in body
    assert Dossier.objects.count() == 1
    assert "Léa" in client.get(url).content.decode()  # what was typed waits


# Co-editors --------------------------------------------------------------------------------


def test_the_author_invites_by_email_with_french_errors(client, aide, auteur):
    dossier = brouillon(aide, auteur)
    client.force_login(auteur)
    url = reverse("portal:dossier_partage", args=[dossier.pk])
    response = client.post(url, {"action": "invitation", "invitation-email": "pas-une-adresse"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Saisissez une adresse électronique valide" in body and "pas-une-adresse" in body

    response = client.post(url, {"action": "invitation", "invitation-email": "ami@exemple.fr"})
    assert response.status_code == 302
    assert "ami@exemple.fr" in client.get(url).content.decode()
    response = client.post(url, {"action": "invitation", "invitation-email": "ami@exemple.fr"})
    assert "attend déjà" in response.content.decode()


def test_a_coeditor_accepts_and_continues_the_draft_but_has_no_partage_tab(
    client, aide, auteur, ami
):
    dossier = brouillon(aide, auteur)
    invitation = InvitationDossier.objects.create(dossier=dossier, email=ami.email)
    client.force_login(ami)
    url = reverse("portal:partage_accepter", args=[invitation.token])
    assert (
        "Camille Martin" in client.get(url).content.decode() or client.get(url).status_code == 200
    )
    response = client.post(url)
    assert response.url == reverse("portal:demande_reprendre", args=[dossier.pk])

    assert client.get(response.url).status_code == 302
    wizard = reverse("portal:demande", kwargs={"slug": aide.slug})
    assert client.get(wizard).status_code == 200
    _etape(client, wizard, 0, nom="Martin", prenom="Camille")
    response = _etape(client, wizard, 1, "deposer", motif="Complété par un ami")
    dossier.refresh_from_db()
    assert dossier.statut == "depose" and dossier.cree_par == auteur
    assert dossier.donnees["motif"] == "Complété par un ami"
    assert client.get(reverse("portal:dossier_partage", args=[dossier.pk])).status_code == 404
    assert client.post(url).status_code == 410  # single use


def test_an_invitation_for_another_address_is_refused_with_a_message(client, aide, auteur, ami):
    dossier = brouillon(aide, auteur)
    invitation = InvitationDossier.objects.create(dossier=dossier, email="autre@exemple.fr")
    client.force_login(ami)
    response = client.post(reverse("portal:partage_accepter", args=[invitation.token]))
    assert response.status_code == 200
    assert "autre@exemple.fr" in response.content.decode()
    assert not CoEditeur.objects.exists()


def test_an_expired_or_forged_link_says_so(client, ami, aide, auteur):
    dossier = depose(aide, auteur)
    transfert = TransfertDossier.objects.create(
        dossier=dossier, email=ami.email, expire_le=timezone.now() - dt.timedelta(days=1)
    )
    client.force_login(ami)
    for url in (
        reverse("portal:transfert_accepter", args=[transfert.token]),
        reverse("portal:transfert_accepter", args=["inventé"]),
        reverse("portal:partage_accepter", args=["inventé"]),
    ):
        response = client.post(url)
        assert response.status_code == 410
        assert "plus valable" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.cree_par == auteur


def test_the_partage_page_is_the_authors_and_its_queries_do_not_grow(
    client, aide, auteur, ami, django_assert_max_num_queries
):
    dossier = depose(aide, auteur)
    client.force_login(auteur)
    url = reverse("portal:dossier_partage", args=[dossier.pk])
    client.get(url)  # the session read and cached (see the portal budgets)
    with django_assert_max_num_queries(12) as petit:
        assert client.get(url).status_code == 200
    for _i in range(8):
        CoEditeur.objects.create(dossier=dossier, user=UserFactory())
        InvitationDossier.objects.create(dossier=dossier, email=f"x{_i}@exemple.fr")
    TransfertDossier.objects.create(dossier=dossier, email="t@exemple.fr")
    with django_assert_max_num_queries(len(petit.captured_queries)):
        body = client.get(url).content.decode()
    assert "x7@exemple.fr" in body and "t@exemple.fr" in body

    CoEditeur.objects.create(dossier=dossier, user=ami)
    client.force_login(ami)
    assert client.get(url).status_code == 404


def test_the_author_removes_a_coeditor_and_cancels_an_invitation(client, aide, auteur, ami):
    dossier = brouillon(aide, auteur)
    coediteur = CoEditeur.objects.create(dossier=dossier, user=ami)
    invitation = InvitationDossier.objects.create(dossier=dossier, email="x@exemple.fr")
    client.force_login(ami)
    assert (
        client.post(reverse("portal:coediteur_retirer", args=[dossier.pk, coediteur.pk]))
    ).status_code == 404
    client.force_login(auteur)
    client.post(reverse("portal:coediteur_retirer", args=[dossier.pk, coediteur.pk]))
    client.post(reverse("portal:invitation_dossier_revoquer", args=[dossier.pk, invitation.pk]))
    assert not CoEditeur.objects.exists()
    invitation.refresh_from_db()
    assert invitation.statut == "revoque"


# Transfer ----------------------------------------------------------------------------------


def test_a_transfer_proposed_then_accepted_by_the_recipient(client, aide, auteur, ami):
    dossier = depose(aide, auteur)
    client.force_login(auteur)
    url = reverse("portal:dossier_partage", args=[dossier.pk])
    response = client.post(url, {"action": "transfert", "transfert-email": ami.email})
    assert response.status_code == 302
    transfert = TransfertDossier.objects.get()
    assert "en attente de sa réponse" in client.get(url).content.decode()

    client.force_login(ami)
    response = client.post(reverse("portal:transfert_accepter", args=[transfert.token]))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.cree_par == ami
    client.force_login(auteur)
    assert client.get(url).status_code == 404


def test_the_sender_cancels_a_transfer(client, aide, auteur, ami):
    dossier = depose(aide, auteur)
    transfert = TransfertDossier.objects.create(dossier=dossier, email=ami.email, par=auteur)
    client.force_login(auteur)
    client.post(reverse("portal:transfert_annuler", args=[dossier.pk]))
    transfert.refresh_from_db()
    assert transfert.statut == "revoque"


# On behalf (P7) ------------------------------------------------------------------------------


def test_the_sheet_leads_to_the_on_behalf_form(client, aide):
    body = client.get(aide.get_absolute_url()).content.decode()
    assert reverse("portal:demande_pour_autrui", kwargs={"slug": aide.slug}) in body


def test_on_behalf_form_checks_input_then_the_wizard_is_prefilled_from_the_person(
    client, aide, auteur
):
    client.force_login(auteur)
    url = reverse("portal:demande_pour_autrui", kwargs={"slug": aide.slug})
    response = client.post(
        url, {"nom": "Durand", "prenom": "", "date_naissance": "2990-01-01", "code_postal": "45"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez le prénom de la personne." in body
    assert "ne peut pas être dans le futur" in body
    assert "cinq chiffres" in body
    assert 'value="Durand"' in body

    response = client.post(
        url,
        {
            "nom": "Durand",
            "prenom": "Louise",
            "date_naissance": "1940-05-01",
            "telephone_mobile": "06 12 34 56 78",
        },
    )
    wizard = reverse("portal:demande", kwargs={"slug": aide.slug})
    assert response.url == wizard
    body = client.get(wizard).content.decode()
    assert 'value="Louise"' in body and 'value="Camille"' not in body
    _etape(client, wizard, 0, nom="Durand", prenom="Louise")
    _etape(client, wizard, 1, "deposer", motif="Aide au chauffage")

    dossier = Dossier.objects.get()
    louise = Individu.objects.get(prenom="Louise")
    assert dossier.statut == "depose" and dossier.pour_autrui
    assert dossier.demandeur_individu == louise and dossier.cree_par == auteur
    assert louise.telephone_mobile == "06 12 34 56 78" and louise.user is None


def test_on_behalf_is_only_for_dispositifs_that_allow_it(client, auteur):
    autre = dispositif_petit(code="AUT", slug="autre", depot_pour_autrui=False)
    client.force_login(auteur)
    url = reverse("portal:demande_pour_autrui", kwargs={"slug": autre.slug})
    assert client.get(url).status_code == 404


# Modification after filing (F10) -------------------------------------------------------------


def test_the_citizen_modifies_a_filed_dossier_through_the_wizard(client, aide, auteur):
    dossier = depose(aide, auteur)
    client.force_login(auteur)
    url = reverse("portal:dossier_modifier", args=[dossier.pk])
    # Offered on the « Ma demande » tab.
    assert url in client.get(reverse("portal:dossier_donnees", args=[dossier.pk])).content.decode()
    body = client.get(url).content.decode()
    assert "Modification de la demande" in body and 'value="Martin"' in body
    _etape(client, url, 0, nom="Martin", prenom="Camille")
    response = _etape(client, url, 1, "deposer", motif="")
    assert response.status_code == 200 and str(MESSAGE_OBLIGATOIRE) in response.content.decode()
    response = _etape(client, url, 1, "deposer", motif="Facture d’eau")
    assert response.status_code == 302

    dossier.refresh_from_db()
    assert dossier.donnees["motif"] == "Facture d’eau" and dossier.modifications_usager == 1
    assert Historique.objects.filter(dossier=dossier, nature="modification").exists()


def test_no_modification_once_an_agent_took_the_dossier(client, aide, auteur, agent):
    dossier = depose(aide, auteur)
    Dossier.objects.filter(pk=dossier.pk).update(agent=agent)
    client.force_login(auteur)
    url = reverse("portal:dossier_modifier", args=[dossier.pk])
    assert client.get(url).status_code == 302
    donnees = client.get(reverse("portal:dossier_donnees", args=[dossier.pk])).content.decode()
    assert url not in donnees


def test_mon_compte_to_do_lists_the_invitations_and_transfers_received(
    aide, auteur, ami, django_assert_num_queries
):
    from common.extensions import a_faire
    from portal import edition

    InvitationDossier.objects.create(dossier=brouillon(aide, auteur), email=ami.email)
    transfert = TransfertDossier.objects.create(dossier=depose(aide, auteur), email=ami.email)
    TransfertDossier.objects.create(
        dossier=depose(aide, auteur),
        email=ami.email,
        expire_le=timezone.now() - dt.timedelta(days=1),
    )
    with django_assert_num_queries(2):
        items = edition.propositions_a_traiter(ami)
    assert len(items) == 2 and all(item in a_faire(ami) for item in items)
    assert items[1].url == reverse("portal:transfert_accepter", args=[transfert.token])
    assert not [item for item in a_faire(auteur) if item.categorie == "partages"]
