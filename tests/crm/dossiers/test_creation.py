"""« Nouveau dossier » in the CRM (C4): demandeur, dispositif, the agents' view filed at
once into the guide's initial statut."""

import pytest
from django.urls import reverse

from dossiers.models import Dossier, ProprietesVue, Vue
from dossiers.services_saisie_agent import dispositifs_pour_saisie
from tests.crm.dossiers.conftest import dispositif_publie
from tests.usagers.factories import IndividuFactory, ProfilFactory
from usagers.models import Individu
from usagers.services import individu_anonyme

pytestmark = pytest.mark.django_db


def _url_formulaire(dispositif, **demandeur):
    cle, valeur = next(iter(demandeur.items()))
    return reverse("crm:dossier_nouveau_formulaire", args=[dispositif.pk]) + f"?{cle}={valeur}"


def test_the_anonymous_individu_is_one_per_instance():
    premier = individu_anonyme()
    assert premier.anonyme and premier.nom == "Anonyme"
    assert individu_anonyme() == premier
    assert Individu.objects.filter(anonyme=True).count() == 1


def test_only_active_dispositifs_with_a_published_form_are_offered(dispositif):
    from tests.dossiers.factories import DispositifFactory

    inactif = dispositif_publie()
    inactif.actif = False
    inactif.save()
    sans_formulaire = DispositifFactory()
    offerts = set(dispositifs_pour_saisie())
    assert dispositif in offerts and inactif not in offerts and sans_formulaire not in offerts


def test_step_one_searches_creates_on_the_fly_or_goes_anonymous(client, instructeur):
    IndividuFactory(prenom="Yvonne", nom="Kerbrat")
    client.force_login(instructeur)
    url = reverse("crm:dossier_nouveau")
    assert "Kerbrat".upper() in client.get(url, {"q": "kerbrat"}).content.decode().upper()
    # Bad input: kept, with the message next to the field.
    refus = client.post(url, {"action": "creer", "type_individu": "adulte", "prenom": "Jo"})
    assert refus.status_code == 400 and 'value="Jo"' in refus.content.decode()
    cree = client.post(
        url, {"action": "creer", "type_individu": "adulte", "prenom": "Jo", "nom": "Morvan"}
    )
    individu = Individu.objects.get(nom="Morvan")
    assert cree["Location"].endswith(f"?individu={individu.pk}")
    anonyme = client.post(url, {"action": "anonyme"})
    assert anonyme["Location"].endswith(f"?individu={individu_anonyme().pk}")


def test_step_two_shows_the_tiles(client, instructeur, dispositif):
    client.force_login(instructeur)
    individu = IndividuFactory()
    page = client.get(reverse("crm:dossier_nouveau_dispositif"), {"individu": individu.pk})
    assert dispositif.titre in page.content.decode()
    assert _url_formulaire(dispositif, individu=individu.pk) in page.content.decode()
    assert (
        client.get(reverse("crm:dossier_nouveau_dispositif"), {"individu": 999999}).status_code
        == 404
    )


def test_step_three_files_the_dossier_in_the_agents_view(client, instructeur, dispositif):
    # The amount is required of agents only; the name is read-only for them.
    champ = dispositif.modeles.get().champs.get(nom="montant")
    ProprietesVue.objects.create(champ=champ, vue=Vue.CRM, obligatoire=True)
    nom = dispositif.modeles.get().champs.get(nom="nom")
    ProprietesVue.objects.create(champ=nom, vue=Vue.CRM, modifiable=False)
    profil = ProfilFactory(nom="Les Amis du Théâtre")
    client.force_login(instructeur)
    url = _url_formulaire(dispositif, profil=profil.pk)
    assert client.get(url).status_code == 200
    refus = client.post(url, {"nom": "ignoré", "montant": ""})
    assert refus.status_code == 400 and Dossier.objects.count() == 0
    assert (
        "fr-error-text" in refus.content.decode() or "fr-message--error" in refus.content.decode()
    )
    reponse = client.post(url, {"nom": "ignoré", "montant": "300"})
    dossier = Dossier.objects.get()
    assert reponse["Location"] == reverse("crm:dossier", args=[dossier.pk])
    assert dossier.statut == Dossier.Statut.DEPOSE and dossier.reference
    assert dossier.demandeur_profil == profil and dossier.cree_par is None
    assert dossier.donnees.get("montant") and "nom" not in dossier.donnees
    assert dossier.historique.get(nature="depot").par == instructeur


def test_a_citizen_with_an_account_is_the_author(client, instructeur, dispositif, citizen):
    individu = IndividuFactory(user=citizen)
    client.force_login(instructeur)
    client.post(_url_formulaire(dispositif, individu=individu.pk), {"nom": "A", "montant": "1"})
    assert Dossier.objects.get().cree_par == citizen
