"""A forged number posted to the portal (a profil to act for, a wizard step, a repeatable
block's element to remove) is treated as unknown or absent: never a 500."""

import pytest
from django.urls import reverse

from tests.portal.test_wizard_bloc import LEA, per, signed_in  # noqa: F401

FORGES = ["²", "١", "99999999999999999999", "-1", "1e3"]


@pytest.mark.django_db
@pytest.mark.parametrize("valeur", FORGES)
def test_forged_profil_to_switch_to(client_as, valeur):
    response = client_as("citizen").post(reverse("portal:profil_switch"), {"profil": valeur})
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("valeur", FORGES)
def test_forged_step_or_element_in_the_wizard(signed_in, per, valeur):  # noqa: F811
    url = reverse("portal:demande", kwargs={"slug": per.slug})
    for data in (
        {"guichet-etape": valeur, "guichet-action": "suivant"},
        {"guichet-action": f"supprimer:enfants:{valeur}", "enfants-TOTAL": "1", **LEA},
    ):
        response = signed_in.post(url, data)
        assert response.status_code in (200, 302)
    response = signed_in.post(
        url, {"guichet-action": f"supprimer:enfants:{valeur}", "enfants-TOTAL": "1", **LEA}
    )
    assert "Léa" in response.content.decode()  # nothing removed


@pytest.mark.django_db
def test_forged_element_key_when_removing_an_element(signed_in, per):  # noqa: F811
    url = reverse("portal:demande", kwargs={"slug": per.slug})
    data = {"guichet-action": "supprimer:enfants:0", "enfants-TOTAL": "2", **LEA}
    response = signed_in.post(url, {**data, "enfants-²-prenom_enfant": "Tom"})
    assert response.status_code == 200
    assert "Léa" not in response.content.decode() and "Tom" not in response.content.decode()
