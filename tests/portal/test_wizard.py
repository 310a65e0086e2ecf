"""The portal form wizard with an account (P5): steps, errors, drafts, submission."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.formulaires import SUBVENTION
from dossiers import services
from dossiers.models import Dispositif, Dossier, ModeleDossier
from tests.dossiers.factories import DispositifFactory
from tests.usagers.factories import MembreFactory, ProfilFactory, role, type_profil
from usagers.models import Profil
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

IBAN = "FR7630006000011234567890189"
ETAPE_1 = {
    "nom_association": "Les Amis du Parc",
    "rna": "W751234567",
    "domaine": "sport",
    "nb_adherents": "42",
    "email_contact": "contact@amis-du-parc.fr",
}
ETAPE_2 = {
    "nature_demande": "projet",
    "titre_projet": "Tournoi d’été",
    "budget_total": "5000",
    "montant_demande": "1500",
}
ETAPE_3 = {"iban": IBAN, "bic": "AGRIFRPP", "engagement": "on"}


@pytest.fixture
def sub():
    dispositif = DispositifFactory(
        code="SUB",
        slug="subvention",
        titre="Subvention aux associations",
        page_confirmation="<p>Le service vous répond sous un mois.</p>",
    )
    modele = services.modele_importer(SUBVENTION, dispositif=dispositif)
    services.modele_publier(modele=modele, by=None)
    return dispositif


@pytest.fixture
def signed_in(client, citizen):
    individu = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    profil = ProfilFactory(nom="Les Amis du Parc", rna="W751234567", iban=IBAN, bic="AGRIFRPP")
    MembreFactory(individu=individu, profil=profil, role=role("responsable"))
    client.force_login(citizen)
    session = client.session
    session["guichet_profil_courant"] = profil.pk
    session.save()
    return client


def _url(dispositif):
    return reverse("portal:demande", kwargs={"slug": dispositif.slug})


def _step(client, dispositif, action="suivant", **data):
    return client.post(_url(dispositif), {"guichet-action": action, **data})


def test_the_sheet_switches_the_start_button_on_with_a_published_model(client, sub):
    body = client.get(sub.get_absolute_url()).content.decode()
    assert f'href="{_url(sub)}"' in body
    assert "sera bientôt disponible" not in body

    other = DispositifFactory()
    body = client.get(other.get_absolute_url()).content.decode()
    assert "sera bientôt disponible" in body
    assert client.get(reverse("portal:demande", kwargs={"slug": other.slug})).status_code == 302


def test_anonymous_is_sent_to_the_login(client, sub):
    response = client.get(_url(sub))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_no_published_model_is_404(signed_in):
    dispositif = DispositifFactory()
    services.modele_brouillon(dispositif=dispositif)
    assert signed_in.get(_url(dispositif)).status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"actif": False},
        {"depot_avec_compte": False},
        {"publie_au": timezone.now() - datetime.timedelta(minutes=1)},
    ],
)
def test_a_request_under_way_is_404_once_its_dispositif_closes(signed_in, sub, change):
    """A step shown again reads the dispositif from one query
    (selectors.demande_en_cours): its publication is checked on every request."""
    assert signed_in.get(_url(sub)).status_code == 200  # the request is in the session
    Dispositif.objects.filter(pk=sub.pk).update(**change)
    assert signed_in.get(_url(sub)).status_code == 404


def test_a_request_under_way_is_404_once_its_version_is_withdrawn(signed_in, sub):
    assert signed_in.get(_url(sub)).status_code == 200
    ModeleDossier.objects.filter(dispositif=sub).update(statut=ModeleDossier.Statut.BROUILLON)
    assert signed_in.get(_url(sub)).status_code == 404


def test_a_step_shown_again_follows_the_profils_type(signed_in, sub, citizen):
    """Conditions and the cache key read the profil's type, read on every request."""
    signed_in.get(_url(sub))
    profil = Profil.objects.get(nom="Les Amis du Parc")
    assert 'data-profil="association"' in signed_in.get(_url(sub)).content.decode()
    Profil.objects.filter(pk=profil.pk).update(type_profil=type_profil("entreprise"))
    assert 'data-profil="entreprise"' in signed_in.get(_url(sub)).content.decode()


def test_happy_path_keeps_data_in_the_session_then_submits(signed_in, sub):
    response = signed_in.get(_url(sub))
    body = response.content.decode()
    assert "Étape 1 sur 3" in body
    assert "Le projet" in body  # next step's title
    assert 'value="Les Amis du Parc"' in body  # prefilled from the profil
    assert "Vérifiez les informations de votre association." in body  # the tab's help

    assert _step(signed_in, sub, **ETAPE_1).status_code == 302
    body = signed_in.get(_url(sub)).content.decode()
    assert "Étape 2 sur 3" in body
    assert "data-condition=" in body
    assert Dossier.objects.count() == 0  # nothing in the database between steps

    assert _step(signed_in, sub, **ETAPE_2).status_code == 302
    assert "Déposer ma demande" in signed_in.get(_url(sub)).content.decode()
    response = _step(signed_in, sub, action="deposer", **ETAPE_3)

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:demande_confirmation", kwargs={"pk": dossier.pk})
    assert dossier.reference.endswith("-SUB-000001")
    assert dossier.donnees["titre_projet"] == "Tournoi d’été"
    assert dossier.demandeur_profil.nom == "Les Amis du Parc"
    body = signed_in.get(response["Location"]).content.decode()
    assert dossier.reference in body
    assert "Le service vous répond sous un mois." in body
    # A new request starts afresh.
    assert "Étape 1 sur 3" in signed_in.get(_url(sub)).content.decode()


def test_bad_input_shows_french_errors_and_keeps_the_typed_values(signed_in, sub):
    response = _step(signed_in, sub, **{**ETAPE_1, "nb_adherents": "beaucoup", "rna": ""})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce champ est obligatoire." in body
    assert "fr-input-group--error" in body
    assert 'value="beaucoup"' in body
    assert "Étape 1 sur 3" in body


def test_previous_step_keeps_what_was_typed(signed_in, sub):
    _step(signed_in, sub, **ETAPE_1)
    _step(signed_in, sub, action="precedent", **{**ETAPE_2, "guichet-etape": "1"})
    body = signed_in.get(_url(sub)).content.decode()
    assert "Étape 1 sur 3" in body
    _step(signed_in, sub, **ETAPE_1)
    assert 'value="Tournoi d’été"' in signed_in.get(_url(sub)).content.decode()


def test_draft_is_saved_on_request_and_resumed(signed_in, sub, citizen):
    _step(signed_in, sub, **ETAPE_1)
    response = _step(signed_in, sub, action="brouillon", nature_demande="projet")

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:account")
    dossier = Dossier.objects.get()
    assert dossier.statut == "brouillon"
    assert dossier.etape_courante == 1
    assert dossier.donnees["nature_demande"] == "projet"
    account = signed_in.get(reverse("portal:account")).content.decode()
    assert "Mes brouillons" in account
    resume = reverse("portal:demande_reprendre", kwargs={"pk": dossier.pk})
    assert resume in account

    assert signed_in.get(resume)["Location"] == _url(sub)
    body = signed_in.get(_url(sub)).content.decode()
    assert "Étape 2 sur 3" in body
    _step(signed_in, sub, **ETAPE_2)
    _step(signed_in, sub, action="deposer", **ETAPE_3)
    dossier.refresh_from_db()
    assert dossier.statut == "depose"
    assert Dossier.objects.count() == 1


def test_a_draft_moved_to_a_new_version_while_open_keeps_the_moved_data(signed_in, sub, admin_user):
    """F11 while the usager has the draft open: the session's answers are keyed to the
    old version, so the wizard reloads the moved draft (with a message) rather than save
    the old answers on the new version."""
    _step(signed_in, sub, **ETAPE_1)
    _step(signed_in, sub, action="brouillon", nature_demande="projet")
    dossier = Dossier.objects.get()
    signed_in.get(reverse("portal:demande_reprendre", kwargs={"pk": dossier.pk}))
    v1 = dossier.modele
    brouillon = services.modele_brouillon(dispositif=sub)
    brouillon.champs.filter(nom="nb_adherents").update(nom="adherents")
    v2 = services.modele_publier(modele=brouillon, by=admin_user)
    correspondance = services.migration_correspondance_defaut(source=v1, cible=v2)
    correspondance["nb_adherents"] = "adherents"
    services.dossiers_migrer(source=v1, cible=v2, correspondance=correspondance, by=admin_user)

    response = _step(signed_in, sub, action="brouillon", titre_projet="Tournoi")

    assert response.status_code == 302 and response["Location"] == _url(sub)
    dossier.refresh_from_db()
    assert dossier.modele == v2
    assert dossier.donnees["adherents"] == 42 and "nb_adherents" not in dossier.donnees
    body = signed_in.get(_url(sub)).content.decode()
    assert "Le formulaire de cette démarche a changé" in body
    _step(signed_in, sub, action="brouillon", nature_demande="projet")
    dossier.refresh_from_db()
    assert dossier.modele == v2 and dossier.donnees["adherents"] == 42


def test_a_draft_with_an_invalid_value_is_not_saved(signed_in, sub):
    response = _step(signed_in, sub, action="brouillon", **{**ETAPE_1, "nb_adherents": "x"})
    assert response.status_code == 200
    assert Dossier.objects.count() == 0


def test_another_citizens_draft_is_404(client, sub, citizen, other_citizen):
    dossier = services.dossier_commencer(dispositif=sub, user=citizen, profil=None)
    services.dossier_enregistrer_brouillon(dossier=dossier, user=citizen)
    client.force_login(other_citizen)
    resume = reverse("portal:demande_reprendre", kwargs={"pk": dossier.pk})
    assert client.get(resume).status_code == 404
    confirmation = reverse("portal:demande_confirmation", kwargs={"pk": dossier.pk})
    assert client.get(confirmation).status_code == 404


def test_garbage_never_gives_a_500(signed_in, sub):
    for data in (
        {"guichet-etape": "99", "nb_adherents": "1e999"},
        {"guichet-etape": "-1", "guichet-action": "nimporte"},
        {"domaine": "inconnu", "email_contact": "\x00"},
    ):
        assert signed_in.post(_url(sub), data).status_code in (200, 302)
