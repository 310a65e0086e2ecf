"""Tracking (P10, P9): « Mes demandes », the dossier page's Suivi, Ma demande and
Documents tabs, Mon compte's sections, the notices shown at sign-in."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from common.extensions import AFaire, _a_faire, register_a_faire
from dossiers import editique as dossiers_editique
from dossiers.models import Dossier, Historique
from editique import services as editique_services
from notifications.models import Notification
from portal.dossier_page import SUIVIS_SESSION
from tests.accounts.factories import PASSWORD
from tests.dossiers.factories import PDF
from tests.editique.factories import ModeleDocumentFactory, dossier_depose
from tests.queries import BUDGET_MON_COMPTE, assert_page_budget
from tests.test_access_matrix import _dispositif_publie
from tests.usagers.factories import MembreFactory, ProfilFactory
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

LISTE = reverse("portal:dossiers")
_numeros = itertools.count(1)


@pytest.fixture
def individu(citizen):
    return compte_initialiser(user=citizen, prenom="Camille", nom="Martin")


@pytest.fixture
def asso(individu):
    profil = ProfilFactory(nom="Les Amis du Vieux Pont")
    MembreFactory(profil=profil, individu=individu)
    return profil


def deposer(user, *, dispositif=None, profil=None, statut=Dossier.Statut.DEPOSE, jours=0, n=1):
    """`n` filed dossiers written directly (the wizard's deposit is tested elsewhere)."""
    dispositif = dispositif or _dispositif_publie()
    modele = dispositif.modeles.get()
    quand = timezone.now() - datetime.timedelta(days=jours)
    dossiers = [
        Dossier(
            dispositif=dispositif,
            modele=modele,
            cree_par=user,
            demandeur_profil=profil,
            statut=statut,
            reference=f"2026-{dispositif.code}-{next(_numeros):06d}",
            depose_le=quand,
            clos_le=quand if statut == Dossier.Statut.CLOS else None,
            donnees={"nom": "Martin"},
        )
        for _ in range(n)
    ]
    Dossier.objects.bulk_create(dossiers)
    return dossiers[0] if n == 1 else dossiers


# « Mes demandes » --------------------------------------------------------------------


def test_list_shows_own_and_profil_dossiers_newest_first_drafts_apart(
    client, citizen, other_citizen, individu, asso
):
    ancien = deposer(citizen, jours=3)
    # Filed by another member for the association: the citizen sees it.
    autre_membre = compte_initialiser(user=other_citizen, prenom="Lucas", nom="Bernard")
    MembreFactory(profil=asso, individu=autre_membre)
    pour_asso = deposer(other_citizen, profil=asso, jours=1)
    # Another member's draft for the association stays theirs.
    brouillon_autre = deposer(other_citizen, profil=asso, statut=Dossier.Statut.BROUILLON)
    Dossier.objects.filter(pk=brouillon_autre.pk).update(reference="")
    client.force_login(citizen)
    response = client.get(LISTE)
    assert [ligne["dossier"].pk for ligne in response.context["lignes"]] == [
        pour_asso.pk,
        ancien.pk,
    ]
    body = response.content.decode()
    assert pour_asso.reference in body and "pour Les Amis du Vieux Pont" in body
    assert "fr-badge--info" in body  # « Déposé », the life cycle's colour
    assert reverse("portal:dossier", args=[pour_asso.pk]) in body


def test_list_filters_by_profil_dispositif_state_and_text(client, citizen, individu, asso):
    perso = deposer(citizen)
    pour_asso = deposer(citizen, profil=asso)
    clos = deposer(citizen, statut=Dossier.Statut.CLOS)
    client.force_login(citizen)

    def pks(**params):
        return {ligne["dossier"].pk for ligne in client.get(LISTE, params).context["lignes"]}

    assert pks(profil=asso.pk) == {pour_asso.pk}
    assert pks(dispositif=perso.dispositif_id) == {perso.pk}
    assert pks(etat="cloture") == {clos.pk}
    assert pks(etat="en_cours") == {perso.pk, pour_asso.pk}
    assert pks(q=clos.reference[-6:]) == {clos.pk}
    assert pks(q=perso.dispositif.titre.upper()) == {perso.pk}


@pytest.mark.parametrize(
    "params", [{"profil": "abc"}, {"profil": "999999"}, {"etat": "x"}, {"q": "x" * 300}]
)
def test_bad_filters_are_reported_never_an_error(client, citizen, individu, params):
    deposer(citizen)
    client.force_login(citizen)
    response = client.get(LISTE, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(response.context["lignes"]) == 1  # the bad filter is ignored
    assert "fr-message--error" in response.content.decode()


def test_list_paginates(client, citizen, individu):
    deposer(citizen, n=25)
    client.force_login(citizen)
    page2 = client.get(LISTE, {"page": 2, "etat": "en_cours"})
    assert len(page2.context["lignes"]) == 5
    assert "etat=en_cours&amp;page=1" in page2.content.decode()


def test_list_budget_does_not_grow_with_dossiers(client, citizen, individu, asso):
    dispositif = _dispositif_publie()
    deposer(citizen, dispositif=dispositif, n=3)
    client.force_login(citizen)
    client.get(LISTE)
    # Session user, profils, dispositifs, count, page, drafts.
    assert_page_budget(
        client,
        LISTE,
        budget=7,
        grow=lambda: deposer(citizen, dispositif=_dispositif_publie(), profil=asso, n=37),
    )


# The dossier page's tabs ---------------------------------------------------------------


def test_suivi_shows_lifeline_facts_and_citizen_history(client, citizen, individu, asso):
    dossier = deposer(citizen, profil=asso)
    Historique.objects.create(dossier=dossier, nature="autre", libelle="Note interne")
    for i in range(12):
        Historique.objects.create(
            dossier=dossier,
            nature="statut",
            libelle=f"Étape {i}",
            visible_usager=True,
            quand=timezone.now() - datetime.timedelta(hours=12 - i),
        )
    client.force_login(citizen)
    response = client.get(reverse("portal:dossier", args=[dossier.pk]))
    body = response.content.decode()
    assert "Demande déposée" in body and 'aria-current="step"' in body
    assert "Les Amis du Vieux Pont" in body
    assert "Note interne" not in body
    assert "Étape 11" in body and "Étape 1<" not in body  # newest first, capped
    assert "?historique=tout" in body
    # The trail: Mon compte › Mes demandes › the reference.
    assert reverse("portal:dossiers") in body
    tout = client.get(reverse("portal:dossier", args=[dossier.pk]), {"historique": "tout"})
    assert "Étape 0" in tout.content.decode()


def test_suivi_budget_does_not_grow_with_history(client, citizen, individu):
    dossier = deposer(citizen)
    client.force_login(citizen)
    url = reverse("portal:dossier", args=[dossier.pk])
    client.get(url)

    def grow():
        Historique.objects.bulk_create(
            Historique(dossier=dossier, nature="autre", libelle=f"L{i}", visible_usager=True)
            for i in range(30)
        )

    # +1: the dossier's statut in the instruction guide (read once for the badge and the
    # lifeline); +1: an open correction request (I10).
    assert_page_budget(client, url, budget=7, grow=grow)


def test_ma_demande_shows_display_values_tab_by_tab(client, citizen, settings, tmp_path):
    dossier = dossier_depose()
    dossier.cree_par = citizen
    dossier.save()
    client.force_login(citizen)
    body = client.get(reverse("portal:dossier_donnees", args=[dossier.pk])).content.decode()
    # The same texts as éditique's dossier.champs (the type's display).
    champs = dossiers_editique.contexte_dossier(dossier)["dossier"]["champs"]
    montant = champs["montant"]
    assert montant and montant in body.replace("&nbsp;", "\xa0").replace("&#x202f;", "\u202f")


def test_hors_compte_visitor_follows_tabs_through_the_session(client, citizen, individu):
    dossier = deposer(citizen)
    for name in ("portal:dossier", "portal:dossier_donnees", "portal:dossier_documents"):
        assert client.get(reverse(name, args=[dossier.pk])).status_code == 404
    session = client.session
    session[SUIVIS_SESSION] = [dossier.pk]
    session.save()
    for name in ("portal:dossier", "portal:dossier_donnees", "portal:dossier_documents"):
        assert client.get(reverse(name, args=[dossier.pk])).status_code == 200


def _document(dossier, *, deposer_usager=True):
    modele = ModeleDocumentFactory(deposer_usager=deposer_usager)
    editique_services.modele_publier(modele=modele, par=None)
    return dossiers_editique.document_generer(dossier=dossier, modele=modele)


def test_documents_tab_views_a_pdf_inline_with_safe_headers(
    client, citizen, other_citizen, individu, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    dossier = deposer(citizen)
    recu = _document(dossier)
    interne = _document(dossier, deposer_usager=False)
    client.force_login(citizen)
    body = client.get(reverse("portal:dossier_documents", args=[dossier.pk])).content.decode()
    url = reverse("portal:dossier_document", args=[dossier.pk, recu.pk])
    assert f'data="{url}"' in body and 'type="application/pdf"' in body
    assert reverse("portal:dossier_document", args=[dossier.pk, interne.pk]) not in body
    response = client.get(url)
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    download = client.get(url, {"telecharger": "1"})
    b"".join(download.streaming_content)
    assert download["Content-Disposition"].startswith("attachment")
    # Not deposited, or another dossier's: not found.
    autre = reverse("portal:dossier_document", args=[dossier.pk, interne.pk])
    assert client.get(autre).status_code == 404
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404


def test_an_image_is_served_sandboxed():
    from io import BytesIO

    from common.fichiers import reponse_fichier

    response = reponse_fichier(BytesIO(b"\x89PNG"), nom="a.png", type_mime="image/png", inline=True)
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"].startswith("sandbox")
    docx = reponse_fichier(BytesIO(PDF), nom="a.docx", type_mime="application/msword", inline=True)
    assert docx["Content-Disposition"].startswith("attachment")


# Mon compte ---------------------------------------------------------------------------


@pytest.fixture
def a_faire_demo():
    def fournisseur(user):
        return [AFaire(libelle="Fournir votre RIB", url="/mon-compte/", categorie="justificatifs")]

    register_a_faire("test", fournisseur)
    yield
    _a_faire.pop("test", None)


def test_account_shows_to_do_and_current_requests(client, citizen, individu, a_faire_demo):
    en_cours = deposer(citizen)
    clos = deposer(citizen, statut=Dossier.Statut.CLOS)
    client.force_login(citizen)
    body = client.get(reverse("portal:account")).content.decode()
    assert "À faire" in body and "Fournir votre RIB" in body
    assert en_cours.reference in body and clos.reference not in body
    assert reverse("portal:dossiers") in body


def test_account_budget_with_requests(client, citizen, individu):
    deposer(citizen, n=2)
    client.force_login(citizen)
    client.get(reverse("portal:account"))
    assert_page_budget(
        client,
        reverse("portal:account"),
        budget=BUDGET_MON_COMPTE,
        grow=lambda: deposer(citizen, n=10),
    )


def test_unread_notifications_are_shown_after_sign_in(client, citizen, individu):
    for titre in ("Pièce manquante", "Nouveau message", "Rendez-vous", "Facture"):
        Notification.objects.create(destinataire=citizen, titre=titre)
    Notification.objects.create(destinataire=citizen, titre="Déjà lue", lue_le=timezone.now())
    response = client.post(
        reverse("account_login"), {"login": citizen.email, "password": PASSWORD}, follow=True
    )
    body = response.content.decode()
    assert "Vous avez des notifications non lues" in body
    assert "« Facture »" in body and "Déjà lue" not in body
    assert reverse("portal:notifications") in body
    # Shown once.
    assert "notifications non lues" not in client.get(reverse("portal:account")).content.decode()


def test_confirmation_links_to_the_dossier_page(client, citizen, individu):
    dossier = deposer(citizen)
    client.force_login(citizen)
    body = client.get(reverse("portal:demande_confirmation", args=[dossier.pk])).content.decode()
    assert reverse("portal:dossier", args=[dossier.pk]) in body


def test_ma_demande_and_documents_budgets(client, citizen, individu, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = deposer(citizen)
    client.force_login(citizen)
    donnees = reverse("portal:dossier_donnees", args=[dossier.pk])
    documents = reverse("portal:dossier_documents", args=[dossier.pk])
    client.get(donnees)
    client.get(documents)
    # The frame: the session's user, the dossier, the tabs' counters (messages,
    # justificatifs), its statut in the instruction guide. The form's structure of a
    # published version is read once per process.
    cadre = 5
    assert_page_budget(client, donnees, budget=cadre)
    # The documents.
    assert_page_budget(client, documents, budget=cadre + 1, grow=lambda: _document(dossier))


def test_no_notice_at_the_crm_sign_in(client, agent):
    Notification.objects.create(destinataire=agent, titre="Un SMS n’a pas pu partir")
    response = client.post(
        reverse("crm:login"), {"username": agent.email, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert "notification non lue" not in response.content.decode()
