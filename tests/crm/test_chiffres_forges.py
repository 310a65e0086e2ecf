"""A forged number in a query string or a form (« ² », 20 digits, a sign, an exponent)
is treated as absent or unknown: never a 500 (common.nombres.entier)."""

import pytest
from django.urls import reverse

from tests.dossiers.factories import DispositifFactory

FORGES = ["²", "١", "99999999999999999999", "-1", "1e3"]


@pytest.mark.django_db
@pytest.mark.parametrize("valeur", FORGES)
@pytest.mark.parametrize(
    ("role", "nom", "parametre"),
    [
        ("instructeur", "crm:dossier_nouveau_dispositif", "profil"),
        ("instructeur", "crm:dossier_nouveau_dispositif", "individu"),
        ("instructeur", "crm:dossier_nouveau", "contact"),
        ("agent", "crm:profil_creer", "type_profil"),
        ("agent", "crm:contact_nouveau", "individu"),
        ("agent", "crm:contact_nouveau", "profil"),
        ("agent", "crm:contact_nouveau", "dossier"),
        ("agent", "crm:contact_nouveau", "modele"),
        ("agent", "crm:contact_nouveau", "individus"),
        ("concepteur", "crm:editique_creer", "objet"),
    ],
)
def test_forged_number_in_query_string(client_as, role, nom, parametre, valeur):
    response = client_as(role).get(reverse(nom), {parametre: valeur})
    assert response.status_code in (200, 302, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("valeur", FORGES)
def test_forged_type_in_posted_profil_form(client_as, valeur):
    response = client_as("agent").post(reverse("crm:profil_creer"), {"type_profil": valeur})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize("valeur", FORGES)
def test_forged_dossiers_to_inscribe(client_as, valeur):
    response = client_as("instructeur").post(
        reverse("crm:commissions_inscrire"), {"dossiers": [valeur]}
    )
    assert response.status_code in (200, 302, 400, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("valeur", FORGES)
def test_forged_link_count_on_dispositif_sheet(client_as, valeur):
    response = client_as("concepteur").post(
        reverse("crm:formulaire_dispositif_creer"),
        {"ajouter_lien": "1", "liens-TOTAL_FORMS": valeur, "liens-INITIAL_FORMS": "0"},
    )
    assert response.status_code in (200, 400)


@pytest.mark.django_db
@pytest.mark.parametrize("parametre", ["apres", "limite"])
@pytest.mark.parametrize("valeur", FORGES)
def test_forged_flux_parameters_are_a_400(client_as, parametre, valeur):
    dispositif = DispositifFactory()
    url = reverse("crm:flux_dossiers", args=[dispositif.code])
    response = client_as("instructeur").get(url, {parametre: valeur})
    assert response.status_code == 400


@pytest.mark.django_db
def test_valid_flux_parameters_still_read(client_as):
    dispositif = DispositifFactory()
    url = reverse("crm:flux_dossiers", args=[dispositif.code])
    response = client_as("instructeur").get(url, {"apres": "0", "limite": "5"})
    assert response.status_code == 200
