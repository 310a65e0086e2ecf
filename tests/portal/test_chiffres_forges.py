"""A forged profil number posted to the account's profil switch is a 404, never a 500."""

import pytest
from django.urls import reverse

FORGES = ["²", "١", "99999999999999999999", "-1", "1e3"]


@pytest.mark.django_db
@pytest.mark.parametrize("valeur", FORGES)
def test_forged_profil_to_switch_to(client_as, valeur):
    response = client_as("citizen").post(reverse("portal:profil_switch"), {"profil": valeur})
    assert response.status_code == 404
