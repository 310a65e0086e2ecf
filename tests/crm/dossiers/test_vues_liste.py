"""Saved views of the CRM dossier list (C15): save, open, rename, share, delete; a view
naming what no longer exists opens with a notice; another agent's view is a 404."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission

from dossiers.models import Dispositif, Dossier, VueListe
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie

pytestmark = pytest.mark.django_db

URL = "/crm/dossiers/"


@pytest.fixture
def autre_instructeur(db):
    user = UserFactory(email="collegue@exemple.fr", agent=True)
    user.user_permissions.add(Permission.objects.get(codename="instruire_dossiers"))
    return user


def _enregistrer(client, nom, **etat):
    return client.post(
        "/crm/dossiers/vues/enregistrer/", {"nom": nom, "etat": urlencode(etat, doseq=True)}
    )


def test_save_open_rename_delete(client, instructeur):
    dispositif = dispositif_publie()
    guide_publie(dispositif)
    a = deposer(dispositif, donnees={"nom": "A", "montant": "10"})
    b = deposer(dispositif, donnees={"nom": "B", "montant": "99"})
    client.force_login(instructeur)
    reponse = _enregistrer(
        client,
        "Gros montants",
        dispositif=dispositif.pk,
        champ="montant",
        operateur="superieur",
        valeur="50",
        colonnes=["reference", "champ:montant"],
        tri="-reference",
        apres="ignoré",
    )
    vue = VueListe.objects.get(agent=instructeur)
    assert reponse.status_code == 302 and reponse["Location"] == f"{URL}?vue={vue.pk}"
    assert vue.filtres == {
        "dispositif": [str(dispositif.pk)],
        "champ": ["montant"],
        "operateur": ["superieur"],
        "valeur": ["50"],
    }
    assert (vue.colonnes, vue.tri) == (["reference", "champ:montant"], "-reference")
    ouverte = client.get(URL, {"vue": vue.pk})
    html = ouverte.content.decode()
    assert b.reference in html and a.reference not in html
    assert "<h1" in html and "Gros montants" in html and "Montant" in html
    assert not ouverte.context["ignores"]
    # The same name twice: refused beside the field, typed name kept.
    refus = _enregistrer(client, "Gros montants", dispositif=dispositif.pk)
    assert refus.status_code == 400
    assert "Vous avez déjà une vue de ce nom." in refus.content.decode()
    assert _enregistrer(client, "  ").status_code == 400
    # Rename and share, then delete.
    modifier = f"/crm/dossiers/vues/{vue.pk}/modifier/"
    assert client.get(modifier).status_code == 200
    assert client.post(modifier, {"nom": "Plus de 50 €", "partagee": "on"}).status_code == 302
    vue.refresh_from_db()
    assert (vue.nom, vue.partagee) == ("Plus de 50 €", True)
    assert client.post(modifier, {"nom": ""}).status_code == 400
    supprimer = f"/crm/dossiers/vues/{vue.pk}/supprimer/"
    assert client.get(supprimer).status_code == 200
    assert client.post(supprimer).status_code == 302
    assert not VueListe.objects.exists()
    assert Dossier.objects.count() == 2


def test_a_view_naming_what_is_gone_opens_with_a_notice(client, instructeur):
    disparu = dispositif_publie()
    reste = dispositif_publie()
    dossier = deposer(reste)
    vue = VueListe.objects.create(
        agent=instructeur,
        nom="Ancienne",
        filtres={
            "dispositif": [str(disparu.pk)],
            "statut": ["ancien-statut"],
            "equipe_ancienne": ["3"],
            "champ": ["supprime"],
            "q": ["x" * 5],
        },
        colonnes=["reference", "champ:supprime", "colonne_inconnue"],
        tri="inconnu",
    )
    Dispositif.objects.filter(pk=disparu.pk).delete()
    client.force_login(instructeur)
    reponse = client.get(URL, {"vue": vue.pk})
    assert reponse.status_code == 200
    html = reponse.content.decode()
    ignores = " ".join(reponse.context["ignores"])
    for mot in ("equipe_ancienne", "ancien-statut", "supprime", "colonne_inconnue", "inconnu"):
        assert mot in ignores, mot
    assert "Cette vue a été ouverte sans ce qui n’existe plus" in html
    # What is left applies: the text search (nothing matches « xxxxx »).
    assert reponse.context["lignes"] == []
    # A deleted dispositif is kept: the view lists nothing and says why beside the
    # filter, rather than every dossier under its name (issue 9 — terr).
    vue.filtres = {"dispositif": [str(disparu.pk)]}
    vue.save()
    reponse = client.get(URL, {"vue": vue.pk})
    assert reponse.context["lignes"] == []
    assert not any("Dispositif" in i for i in reponse.context["ignores"])
    assert "Dispositif inconnu ou hors de vos droits." in reponse.content.decode()
    assert dossier.reference in client.get(URL).content.decode()


def test_another_agents_view_is_a_404_unless_shared(client, instructeur, autre_instructeur):
    vue = VueListe.objects.create(agent=autre_instructeur, nom="La sienne", tri="reference")
    client.force_login(instructeur)
    assert client.get(URL, {"vue": vue.pk}).status_code == 404
    assert client.get(f"/crm/dossiers/vues/{vue.pk}/modifier/").status_code == 404
    assert client.post(f"/crm/dossiers/vues/{vue.pk}/supprimer/").status_code == 404
    assert client.get(URL, {"vue": 999999}).status_code == 404
    VueListe.objects.filter(pk=vue.pk).update(partagee=True)
    partagee = client.get(URL, {"vue": vue.pk})
    assert partagee.status_code == 200 and "partagée par" in partagee.content.decode()
    # Shared views are read-only for the others.
    assert client.post(f"/crm/dossiers/vues/{vue.pk}/supprimer/").status_code == 404
    assert VueListe.objects.filter(pk=vue.pk).exists()


def test_paging_inside_a_view_keeps_the_view(client, instructeur):
    dispositif = dispositif_publie()
    premier = deposer(dispositif)
    from tests.crm.dossiers.test_liste import cloner

    cloner(premier, 40)
    vue = VueListe.objects.create(agent=instructeur, nom="Toutes", tri="reference")
    client.force_login(instructeur)
    reponse = client.get(URL, {"vue": vue.pk})
    suivant = reponse.context["page"].suivant
    assert f"vue={vue.pk}" in reponse.context["parametres"]
    page2 = client.get(URL, {"vue": vue.pk, "apres": suivant, "p": 2})
    assert page2.context["vue"] == vue and len(page2.context["lignes"]) == 11
