"""The wizard with a repeatable block (F12), without JavaScript: adding and removing
elements by posting, typed values kept, per-element errors, min/max, submission."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.formulaires import PERISCOLAIRE
from dossiers import services
from dossiers.models import Dossier
from tests.dossiers.factories import DispositifFactory
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

LEA = {
    "enfants-0-prenom_enfant": "Léa",
    "enfants-0-nom_enfant": "Martin",
    "enfants-0-naissance_enfant": "02/04/2019",
    "enfants-0-ecole": "jules-ferry",
    "enfants-0-classe": "ce1",
}
TOM = {
    "enfants-1-prenom_enfant": "Tom",
    "enfants-1-nom_enfant": "Martin",
    "enfants-1-naissance_enfant": "15/09/2021",
    "enfants-1-ecole": "les-tilleuls",
    "enfants-1-classe": "ms",
}


@pytest.fixture
def per():
    dispositif = DispositifFactory(code="PER", slug="periscolaire", titre="Périscolaire")
    modele = services.modele_importer(PERISCOLAIRE, dispositif=dispositif)
    services.modele_publier(modele=modele, by=None)
    return dispositif


@pytest.fixture
def signed_in(client, citizen):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    client.force_login(citizen)
    return client


def _url(dispositif):
    return reverse("portal:demande", kwargs={"slug": dispositif.slug})


def _valeur(body, nom):
    """The value of the input named `nom` in the page."""
    balise = re.search(rf'<input[^>]*name="{re.escape(nom)}"[^>]*>', body)[0]
    valeur = re.search(r'value="([^"]*)"', balise)
    return valeur[1] if valeur else ""


def _post(client, dispositif, action, total, **data):
    return client.post(
        _url(dispositif), {"guichet-action": action, "enfants-TOTAL": str(total), **data}
    )


def test_the_step_shows_the_minimum_of_elements_and_the_add_button(signed_in, per):
    body = signed_in.get(_url(per)).content.decode()
    assert "Enfants à inscrire" in body
    assert "Enfant 1" in body and "Enfant 2" not in body.replace("__NUMERO__", "")
    assert 'name="enfants-TOTAL" value="1"' in body
    assert 'name="enfants-0-prenom_enfant"' in body
    assert 'value="ajouter:enfants"' in body
    assert 'value="supprimer:enfants:0"' in body
    assert "De 1 à 6 éléments." in body


def test_adding_an_element_keeps_what_was_typed(signed_in, per):
    response = _post(signed_in, per, "ajouter:enfants", 1, **LEA)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="enfants-TOTAL" value="2"' in body
    assert 'value="Léa"' in body
    assert 'value="02/04/2019"' in body
    assert 'name="enfants-1-prenom_enfant"' in body
    assert "Enfant 2" in body
    assert '<p class="fr-message fr-message--error">' not in body  # adding validates nothing
    assert Dossier.objects.count() == 0


def test_without_javascript_a_top_level_calcul_follows_the_elements(signed_in, per):
    """The tarif reads nombre(enfants): adding or removing an element by posting, or an
    error, shows it computed from what was posted, as formules.js does live."""
    body = _post(signed_in, per, "ajouter:enfants", 1, **LEA).content.decode()
    assert _valeur(body, "tarif_annuel") == "70.00"
    third = {k.replace("-1-", "-2-"): v for k, v in TOM.items()}
    body = _post(signed_in, per, "ajouter:enfants", 3, **LEA, **TOM, **third).content.decode()
    assert _valeur(body, "tarif_annuel") == "120.00"  # four children, tarif fratrie
    body = _post(signed_in, per, "supprimer:enfants:0", 2, **LEA, **TOM).content.decode()
    assert _valeur(body, "tarif_annuel") == "35.00"
    # Shown again with an error (a child without a first name): still from the post.
    data = {**LEA, **TOM, "enfants-1-prenom_enfant": ""}
    response = _post(signed_in, per, "suivant", 2, **data)
    assert "Ce champ est obligatoire." in response.content.decode()
    assert _valeur(response.content.decode(), "tarif_annuel") == "70.00"
    # Each child's age, a calcul inside its element, too.
    assert _valeur(response.content.decode(), "enfants-0-age_enfant") not in ("", None)
    assert Dossier.objects.count() == 0


def test_removing_an_element_moves_the_next_ones_up(signed_in, per):
    third = {k.replace("-1-", "-2-"): v for k, v in TOM.items()}
    third["enfants-2-prenom_enfant"] = "Zoé"
    response = _post(signed_in, per, "supprimer:enfants:1", 3, **LEA, **TOM, **third)
    body = response.content.decode()
    assert 'name="enfants-TOTAL" value="2"' in body
    assert "Tom" not in body
    assert _valeur(body, "enfants-0-prenom_enfant") == "Léa"
    assert _valeur(body, "enfants-1-prenom_enfant") == "Zoé"
    assert 'name="enfants-2-prenom_enfant"' not in body.split("<template")[0]


def test_the_add_button_is_disabled_at_the_maximum(signed_in, per):
    body = _post(signed_in, per, "ajouter:enfants", 5).content.decode()
    assert 'name="enfants-TOTAL" value="6"' in body
    bouton = body.split('value="ajouter:enfants"')[1].split(">")[0]
    assert "disabled" in bouton
    # Posting past the maximum anyway is refused on the server, in French.
    body = _post(signed_in, per, "suivant", 7).content.decode()
    assert "Pas plus de 6 enfants." in body


def test_errors_are_shown_next_to_each_sub_field_and_typed_values_kept(signed_in, per):
    data = {**LEA, "enfants-0-naissance_enfant": "31/02/2019", **TOM}
    data["enfants-1-prenom_enfant"] = ""
    response = _post(signed_in, per, "suivant", 2, **data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="31/02/2019"' in body
    assert 'id="id_enfants-1-prenom_enfant-messages"' in body
    messages = body.split('id="id_enfants-1-prenom_enfant-messages"')[1].split("</div>")[0]
    assert "Ce champ est obligatoire." in messages
    messages = body.split('id="id_enfants-0-naissance_enfant-messages"')[1].split("</div>")[0]
    assert "date valide" in messages


def test_a_linked_list_is_checked_per_element_against_its_sibling(signed_in, per):
    """The class is a liste_liee on the element's own school: CE1 is not a class of
    the nursery school, so that element's class is refused, next to it."""
    data = {**LEA, **TOM, "enfants-1-classe": "ce1"}
    response = _post(signed_in, per, "suivant", 2, **data)
    assert response.status_code == 200
    body = response.content.decode()
    messages = body.split('id="id_enfants-1-classe-messages"')[1].split("</div>")[0]
    assert "Ce choix ne correspond pas à votre réponse précédente" in messages
    messages = body.split('id="id_enfants-0-classe-messages"')[1].split("</div>")[0]
    assert "fr-message--error" not in messages
    assert Dossier.objects.count() == 0
    # The right class for that school goes through.
    data["enfants-1-classe"] = "ms"
    assert _post(signed_in, per, "suivant", 2, **data).status_code == 302


def test_no_element_gives_the_minimum_message(signed_in, per):
    body = _post(signed_in, per, "suivant", 0).content.decode()
    assert "Ajoutez au moins 1 enfant." in body


def test_a_draft_keeps_a_block_with_missing_answers(signed_in, per):
    partial = {**LEA, "enfants-0-classe": ""}
    response = _post(signed_in, per, "brouillon", 1, **partial)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.donnees["enfants"][0]["prenom_enfant"] == "Léa"
    assert dossier.donnees["enfants"][0]["classe"] is None


def test_fill_and_submit(signed_in, per):
    response = _post(signed_in, per, "suivant", 2, **LEA, **TOM, **{"enfants-0-pai": "on"})
    assert response.status_code == 302
    body = signed_in.get(_url(per)).content.decode()
    assert "Étape 2 sur 2" in body
    response = signed_in.post(
        _url(per), {"guichet-action": "deposer", "engagement_reglement": "on"}
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    enfants = dossier.donnees["enfants"]
    assert [e["prenom_enfant"] for e in enfants] == ["Léa", "Tom"]
    assert enfants[0]["naissance_enfant"] == "2019-04-02"
    assert enfants[0]["pai"] is True
    assert "pai_details" in enfants[0] and "pai_details" not in enfants[1]  # hidden: dropped
    assert enfants[0]["age_enfant"].isdigit()
    assert dossier.donnees["tarif_annuel"] == "70.00"
    assert "prenom_enfant" not in dossier.donnees  # sub-fields live in their block only


def test_going_back_and_forth_shows_the_stored_elements(signed_in, per):
    _post(signed_in, per, "suivant", 2, **LEA, **TOM)
    signed_in.post(_url(per), {"guichet-action": "precedent", "guichet-etape": "1"})
    body = signed_in.get(_url(per)).content.decode()
    assert 'name="enfants-TOTAL" value="2"' in body
    assert 'value="Tom"' in body
    assert 'value="02/04/2019"' in body or 'value="2019-04-02"' in body


def test_an_unknown_block_action_just_shows_the_step_again(signed_in, per):
    response = _post(signed_in, per, "supprimer:inconnu:0", 1, **LEA)
    assert response.status_code == 200
    assert 'value="Léa"' in response.content.decode()


def test_the_step_costs_the_same_queries_whatever_the_number_of_elements(signed_in, per):
    def requetes():
        with CaptureQueriesContext(connection) as capture:
            assert signed_in.get(_url(per)).status_code == 200
        return len(capture)

    assert _post(signed_in, per, "suivant", 1, **LEA).status_code == 302
    signed_in.post(_url(per), {"guichet-action": "precedent", "guichet-etape": "1"})
    avant = requetes()
    third = {k.replace("-1-", "-2-"): v for k, v in TOM.items()}
    assert _post(signed_in, per, "suivant", 3, **LEA, **TOM, **third).status_code == 302
    signed_in.post(_url(per), {"guichet-action": "precedent", "guichet-etape": "1"})
    body = signed_in.get(_url(per)).content.decode()
    assert 'name="enfants-TOTAL" value="3"' in body
    assert requetes() == avant
