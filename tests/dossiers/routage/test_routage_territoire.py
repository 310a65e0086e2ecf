"""Routing by territoire (C14 × C8): a rule naming a territoire holds for the dossiers
sectorised there or in one of its sous-territoires — at filing, where sectorisation runs
first — and in the CRM form, its list and the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.db.models import ProtectedError
from django.urls import reverse

from dossiers import services_routage as routage
from dossiers.models import Dossier, RegleRoutage, Secteur
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import TerritoireFactory
from tests.dossiers.routage.factories import EquipeFactory, RegleRoutageFactory

pytestmark = pytest.mark.django_db

CHAMPS = (("nom", "Nom", "texte"), ("adresse", "Adresse", "adresse"))


def _adresse(commune: str, code_insee: str, lon: float, lat: float) -> dict:
    # As a BAN suggestion fills it: code, position and identifiant (empty is accepted).
    return {
        "numero_voie": "1 place de la Mairie",
        "code_postal": "18240",
        "commune": commune,
        "code_insee": code_insee,
        "lon": lon,
        "lat": lat,
        "ban_id": "",
    }


BELLEVILLE = _adresse("Belleville-sur-Loire", "18026", 2.8522, 47.5014)
BOURG = _adresse("Belleville-sur-Loire", "18026", 2.840, 47.500)  # in the quartier
LERE = _adresse("Léré", "18125", 2.87, 47.47)


@pytest.fixture
def arbre():
    ville = TerritoireFactory(nom="Belleville")
    Secteur.objects.create(territoire=ville, nature="commune", code_insee="18026")
    quartier = TerritoireFactory(nom="Bourg", parent=ville)
    carre = [[2.835, 47.49], [2.845, 47.49], [2.845, 47.51], [2.835, 47.51], [2.835, 47.49]]
    Secteur.objects.create(
        territoire=quartier, nature="polygone", polygone={"type": "Polygon", "coordinates": [carre]}
    )
    voisines = TerritoireFactory(nom="Voisines")
    Secteur.objects.create(territoire=voisines, nature="commune", code_insee="18125")
    return ville, quartier, voisines


@pytest.fixture
def gestionnaire(db):
    user = UserFactory(agent=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=("gerer_equipes", "instruire_dossiers"))
    )
    return user


@pytest.fixture
def dispositif():
    return dispositif_publie(code="ROUT", champs=CHAMPS)


def _deposer(dispositif, adresse) -> Dossier:
    dossier = deposer(dispositif, donnees={"nom": "Martin", "adresse": adresse})
    dossier.refresh_from_db()
    return dossier


def test_a_territoire_rule_holds_there_and_below_at_filing(dispositif, arbre):
    ville, quartier, voisines = arbre
    antenne, accueil = EquipeFactory(nom="Antenne"), EquipeFactory(nom="Accueil")
    RegleRoutageFactory(ordre=10, territoire=ville, equipe=antenne)
    RegleRoutageFactory(ordre=20, equipe=accueil)
    dans_la_ville = _deposer(dispositif, BELLEVILLE)
    dans_le_quartier = _deposer(dispositif, BOURG)
    ailleurs = _deposer(dispositif, LERE)
    sans_adresse = deposer(dispositif, donnees={"nom": "Durand"})
    sans_adresse.refresh_from_db()
    # Sectorised before routing: the rule sees the territoire given at filing.
    assert (dans_la_ville.territoire, dans_la_ville.equipe) == (ville, antenne)
    assert (dans_le_quartier.territoire, dans_le_quartier.equipe) == (quartier, antenne)
    assert (ailleurs.territoire, ailleurs.equipe) == (voisines, accueil)
    assert (sans_adresse.territoire, sans_adresse.equipe) == (None, accueil)


def test_a_sous_territoire_rule_does_not_hold_for_its_parent(dispositif, arbre):
    _ville, quartier, _voisines = arbre
    regle = RegleRoutageFactory(territoire=quartier)
    assert routage.regle_applicable(_deposer(dispositif, BELLEVILLE)) is None
    assert routage.regle_applicable(_deposer(dispositif, BOURG)) == regle


def test_the_tree_is_read_once_whatever_the_rules(dispositif, arbre, django_assert_num_queries):
    ville, quartier, voisines = arbre
    for territoire in (voisines, quartier, voisines):
        RegleRoutageFactory(territoire=territoire)
    dossier = _deposer(dispositif, BELLEVILLE)
    RegleRoutageFactory(territoire=ville)
    # The rules, the tree.
    with django_assert_num_queries(2):
        regle = routage.regle_applicable(dossier)
    assert regle.territoire_id == ville.pk


def test_a_territoire_named_by_a_rule_cannot_be_deleted(arbre):
    _ville, _quartier, voisines = arbre
    RegleRoutageFactory(territoire=voisines)
    with pytest.raises(ProtectedError):
        voisines.delete()


def test_the_crm_form_list_and_admin(client, gestionnaire, arbre, admin_client):
    ville, quartier, _voisines = arbre
    client.force_login(gestionnaire)
    url = reverse("crm:routage_regle_creer")
    page = client.get(url).content.decode()
    assert "Tous les territoires" in page and "Bourg (Belleville)" in page
    equipe = EquipeFactory()
    reponse = client.post(
        url,
        {
            "nom": "Quartier",
            "active": "on",
            "operateur": "=",
            "territoire": "999999",
            "equipe": equipe.pk,
        },
    )
    assert reponse.status_code == 400 and 'value="Quartier"' in reponse.content.decode()
    reponse = client.post(
        url,
        {
            "nom": "Quartier",
            "active": "on",
            "operateur": "=",
            "territoire": quartier.pk,
            "equipe": equipe.pk,
        },
    )
    assert reponse.status_code == 302
    assert RegleRoutage.objects.get().territoire == quartier
    liste = client.get(reverse("crm:routage_regles")).content.decode()
    assert "Territoire : Bourg (et ses sous-territoires)" in liste
    admin = admin_client.get(
        reverse("admin:dossiers_regleroutage_changelist"), {"territoire__id__exact": quartier.pk}
    )
    assert admin.status_code == 200 and "Quartier" in admin.content.decode()
    change = admin_client.get(
        reverse("admin:dossiers_regleroutage_change", args=[RegleRoutage.objects.get().pk])
    )
    assert 'name="territoire"' in change.content.decode()
    del ville
