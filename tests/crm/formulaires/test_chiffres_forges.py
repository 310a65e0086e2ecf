"""A forged sub-field parent or référentiel id in the form builder: treated as absent or
unknown (a 404), never a 500."""

import pytest
from django.urls import reverse

from dossiers.models import Champ, Ligne

pytestmark = pytest.mark.django_db

FORGES = ["²", "١", "99999999999999999999", "-1", "1e3"]


@pytest.mark.parametrize("valeur", FORGES)
def test_forged_parent_of_a_new_field(client_concepteur, brouillon, valeur):
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    avant = Champ.objects.count()
    url = reverse("crm:formulaire_champ_ajouter", args=[ligne.pk])
    reponse = client_concepteur.post(f"{url}?colonne=1&parent={valeur}", {})
    assert reponse.status_code in (200, 302, 400)
    assert Champ.objects.count() == avant


@pytest.mark.parametrize("valeur", FORGES)
def test_forged_referentiel_choice_is_a_404(client_concepteur, brouillon, valeur):
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    url = reverse("crm:formulaire_referentiel_choisir", args=[ligne.pk])
    assert client_concepteur.post(url, {"referentiel": valeur}).status_code == 404
