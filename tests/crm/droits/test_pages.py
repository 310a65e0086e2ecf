"""The CRM's rights (C7) and territories (C8) screens."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dossiers.models import DroitDispositif, Secteur, Territoire
from tests.accounts.factories import UserFactory
from tests.dossiers.factories import (
    DispositifFactory,
    ProfilMetierFactory,
    TerritoireFactory,
    TypeTerritoireFactory,
)
from tests.queries import assert_page_budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def gestionnaire(db):
    user = UserFactory(agent=True)
    user.user_permissions.add(Permission.objects.get(codename="gerer_droits"))
    return user


def _lignes():
    return {
        (d.profil_metier_id, d.dispositif_id): set(d.droits())
        for d in DroitDispositif.objects.all()
    }


def test_the_matrix_is_saved_in_one_post(client, gestionnaire):
    client.force_login(gestionnaire)
    p1, p2 = ProfilMetierFactory(), ProfilMetierFactory()
    global_ = ProfilMetierFactory(tout=True)
    d1, d2 = DispositifFactory(), DispositifFactory()
    DroitDispositif.objects.create(profil_metier=p2, dispositif=d2, voir=True)
    page = client.get(reverse("crm:droits")).content.decode()
    assert f'value="{p2.pk}:{d2.pk}:voir" id="c-{p2.pk}-{d2.pk}-voir" checked' in page
    assert f'value="{global_.pk}:' not in page  # « tous les dispositifs »: on its own page
    response = client.post(
        reverse("crm:droits"),
        {
            "case": [
                f"{p1.pk}:{d1.pk}:instruire",  # voir added
                f"{p1.pk}:{d2.pk}:configurer",
                f"{global_.pk}:{d1.pk}:voir",  # a global profil: ignored
                f"{p1.pk}:999999:voir",  # forged dispositif
                "999999:1:voir",  # forged profil
                f"{p1.pk}:{d1.pk}:tout",  # unknown right
                "n'importe quoi",
            ]
        },
        follow=True,
    )
    assert response.status_code == 200
    assert _lignes() == {
        (p1.pk, d1.pk): {"voir", "instruire"},
        (p1.pk, d2.pk): {"configurer"},
    }  # p2's row was unticked: removed
    texte = response.content.decode()
    assert "2 ajoutés, 0 modifiés, 1 retirés" in texte
    assert "5 case(s) ne correspondaient" in texte


def test_the_matrix_page_budget_does_not_grow(client, gestionnaire):
    client.force_login(gestionnaire)
    ProfilMetierFactory()
    DispositifFactory()

    def grow():
        profils = [ProfilMetierFactory() for _ in range(5)]
        dispositifs = [DispositifFactory() for _ in range(5)]
        DroitDispositif.objects.bulk_create(
            DroitDispositif(profil_metier=p, dispositif=d, voir=True)
            for p in profils
            for d in dispositifs
        )

    assert_page_budget(client, reverse("crm:droits"), budget=9, grow=grow)


def test_the_matrix_save_costs_the_same_whatever_its_size(
    client, gestionnaire, django_assert_max_num_queries
):
    client.force_login(gestionnaire)
    profils = [ProfilMetierFactory() for _ in range(6)]
    dispositifs = [DispositifFactory() for _ in range(8)]
    cases = [f"{p.pk}:{d.pk}:exporter" for p in profils for d in dispositifs]
    client.get(reverse("crm:droits"))
    with django_assert_max_num_queries(16):
        client.post(reverse("crm:droits"), {"case": cases})
    assert DroitDispositif.objects.filter(voir=True, exporter=True).count() == 48
    with django_assert_max_num_queries(16):
        client.post(reverse("crm:droits"), {"case": cases[:10]})
    assert DroitDispositif.objects.count() == 10


def test_the_csv_export(client, gestionnaire):
    client.force_login(gestionnaire)
    profil = ProfilMetierFactory(libelle="=Instructeurs")
    ProfilMetierFactory(libelle="Direction", tout=True)
    dispositif = DispositifFactory(titre="Aide au permis")
    DroitDispositif.objects.create(profil_metier=profil, dispositif=dispositif, instruire=True)
    response = client.get(reverse("crm:droits_export"))
    assert response["Content-Type"].startswith("text/csv")
    lignes = response.content.decode("utf-8-sig").splitlines()
    assert lignes[0] == "Profil métier;Code;Dispositif;Voir;Instruire;Configurer;Exporter;Supprimer"
    assert "Direction;" in lignes[1] and lignes[1].endswith("oui;oui;oui;oui;oui")
    assert lignes[2].startswith("'=Instructeurs;") and lignes[2].endswith(
        "Aide au permis;oui;oui;non;non;non"
    )


def test_a_profil_metier_with_its_agents(client, gestionnaire):
    client.force_login(gestionnaire)
    agent = UserFactory(agent=True)
    citoyen = UserFactory()
    url = reverse("crm:droits_profil_creer")
    data = {"libelle": "Accueil", "code": "accueil", "exporter": "on", "agents": [agent.pk]}
    assert client.post(url, data).status_code == 302
    profil = agent.profils_metier.get()
    assert profil.voir and profil.exporter
    # A citizen's account is not an agent: refused next to the field, input kept.
    data = {"libelle": "Accueil 2", "code": "accueil-2", "agents": [citoyen.pk]}
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'value="Accueil 2"' in response.content.decode()
    assert not citoyen.profils_metier.exists()


def test_a_territoire_with_its_secteurs(client, gestionnaire):
    client.force_login(gestionnaire)
    type_ = TypeTerritoireFactory()
    parent = TerritoireFactory()
    agent = UserFactory(agent=True)
    url = reverse("crm:droits_territoire_creer")
    base = {
        "nom": "Quartier Nord",
        "code": "nord",
        "type": type_.pk,
        "parent": parent.pk,
        "agents": [agent.pk],
        "secteurs-TOTAL_FORMS": "1",
        "secteurs-INITIAL_FORMS": "0",
    }
    # A postal code narrowed to a commune that does not have it: refused, input kept.
    response = client.post(
        url,
        {
            **base,
            "secteurs-0-nature": "code_postal",
            "secteurs-0-code_postal": "18240",
            "secteurs-0-code_insee": "45234",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Cette commune n’a pas le code postal 18240." in page
    assert 'value="Quartier Nord"' in page
    assert not Territoire.objects.filter(code="nord").exists()
    # Bad GeoJSON: a French message, nothing saved.
    response = client.post(
        url, {**base, "secteurs-0-nature": "polygone", "secteurs-0-polygone": "{pas du json"}
    )
    assert response.status_code == 400
    assert not Territoire.objects.filter(code="nord").exists()
    response = client.post(
        url,
        {
            **base,
            "secteurs-0-nature": "code_postal",
            "secteurs-0-code_postal": "18240",
            "secteurs-0-code_insee": "18026",
        },
    )
    assert response.status_code == 302
    nord = Territoire.objects.get(code="nord")
    assert nord.parent == parent and list(nord.agents.all()) == [agent]
    assert Secteur.objects.get(territoire=nord).code_insee == "18026"
    # Its own sous-territoire as parent (a forged id): refused.
    enfant = TerritoireFactory(parent=nord)
    response = client.post(
        reverse("crm:droits_territoire", args=[nord.pk]),
        {
            **base,
            "parent": enfant.pk,
            "secteurs-INITIAL_FORMS": "0",
            "secteurs-TOTAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    nord.refresh_from_db()
    assert nord.parent == parent


def test_the_territoires_tree(client, gestionnaire, django_assert_max_num_queries):
    client.force_login(gestionnaire)
    racine = TerritoireFactory(nom="Commune")
    TerritoireFactory(nom="Quartier Sud", parent=racine)
    client.get(reverse("crm:droits_territoires"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("crm:droits_territoires")).content.decode()
    assert page.index("Commune") < page.index("Quartier Sud")
    assert "sous-territoire de niveau 1" in page


def test_the_sectorisation_is_queued(client, gestionnaire):
    client.force_login(gestionnaire)
    response = client.post(reverse("crm:droits_sectoriser"), follow=True)
    assert "La sectorisation des dossiers déposés est lancée" in response.content.decode()


def test_accounts_are_for_superusers_only_in_the_admin(client):
    """C7: agents' own records (the User admin) for administrators only, even for a
    staff member given every accounts permission."""
    staff = UserFactory(agent=True, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="accounts"))
    client.force_login(staff)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_user_change", args=[staff.pk])).status_code == 403
