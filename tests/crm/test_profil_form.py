"""Creating and editing a profil from the CRM."""

import pytest
from django.urls import reverse

from tests.usagers.factories import ProfilFactory, type_profil
from usagers.models import NatureProfil, Profil

pytestmark = pytest.mark.django_db

CREATE = reverse("crm:profil_creer")


def _data(**overrides):
    association = type_profil("association")
    data = {
        "type_profil": association.pk,
        "nature": NatureProfil.objects.filter(type_profil=association).first().pk,
        "nom": "Club Pongiste Orléanais",
        "rna": "W451234567",
        "email": "contact@cpo.fr",
        "site_web": "www.cpo.fr",
        "commune": "Orléans",
    }
    data.update(overrides)
    return data


def test_agent_creates_a_profil(client_as):
    response = client_as("agent").post(CREATE, _data())
    profil = Profil.objects.get(nom="Club Pongiste Orléanais")
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:profil", args=[profil.pk])
    assert profil.site_web == "https://www.cpo.fr"  # https assumed
    assert profil.nature.type_profil.code == "association"


def test_create_form_groups_natures_by_type_and_hides_the_personal_type(client_as):
    html = client_as("agent").get(CREATE).content.decode()
    assert '<optgroup label="Entreprise">' in html
    assert ">Particulier<" not in html


def test_natures_are_filtered_to_the_chosen_type(client_as):
    entreprise = type_profil("entreprise")
    html = client_as("agent").get(CREATE, {"type_profil": entreprise.pk}).content.decode()
    assert "SARL" in html
    assert "Association loi 1901" not in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rna": "X123"}, "Ce numéro RNA n’est pas valide"),
        ({"rna": ""}, "Le numéro RNA est obligatoire pour ce type de profil."),
        ({"siret": "12345678901234"}, "Ce numéro SIRET n’est pas valide"),
        ({"email": "contact@"}, "Saisissez une adresse de courriel valide."),
        ({"telephone": "123"}, "Ce numéro de téléphone n’est pas valide"),
        ({"iban": "FR76 3000 6000 0112 3456 7890 180"}, "Cet IBAN n’est pas valide"),
        ({"bic": "12"}, "Ce BIC n’est pas valide"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(client_as, overrides, message):
    response = client_as("agent").post(CREATE, _data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Club Pongiste Orléanais"' in html
    assert not Profil.objects.filter(nom="Club Pongiste Orléanais").exists()


def test_nature_of_another_type_is_refused(client_as):
    sarl = NatureProfil.objects.get(libelle="SARL")
    response = client_as("agent").post(CREATE, _data(nature=sarl.pk))
    assert "Cette nature ne correspond pas au type de profil." in response.content.decode()
    assert not Profil.objects.filter(nom="Club Pongiste Orléanais").exists()


def test_agent_edits_a_profil(client_as):
    profil = ProfilFactory(nom="Club Pongiste", adresse="1 rue Bannier", commune="Orléans")
    url = reverse("crm:profil_modifier", args=[profil.pk])
    client = client_as("agent")
    assert 'value="Club Pongiste"' in client.get(url).content.decode()
    data = _data(nom="Club Pongiste Orléanais", rna=profil.rna, adresse="5 quai du Châtelet")
    response = client.post(url, data)
    assert response.status_code == 302
    profil.refresh_from_db()
    assert profil.nom == "Club Pongiste Orléanais"
    assert profil.adresses_precedentes.get().adresse == "1 rue Bannier"
