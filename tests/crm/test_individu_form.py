"""Creating and editing an individu from the CRM."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.usagers.factories import IndividuFactory
from usagers.models import AdressePrecedente, Individu

pytestmark = pytest.mark.django_db

CREATE = reverse("crm:individu_creer")


def _data(**overrides):
    data = {
        "type_individu": "adulte",
        "civilite": "mme",
        "prenom": "Éléonore",
        "nom": "Dupont",
        "date_naissance": "1984-03-07",
        "email": "eleonore.dupont@exemple.fr",
        "telephone_mobile": "06 12 34 56 78",
        "adresse": "12 rue de la République",
        "code_postal": "45000",
        "commune": "Orléans",
        "pays": "France",
        "profession": "Infirmière",
    }
    data.update(overrides)
    return data


def test_create_form_shows_the_fields_of_the_type(client_as):
    html = client_as("agent").get(CREATE).content.decode()
    assert 'name="profession"' in html
    assert 'name="etablissement_scolaire"' not in html
    html = client_as("agent").get(CREATE, {"type_individu": "enfant"}).content.decode()
    assert 'name="etablissement_scolaire"' in html and 'name="classe"' in html
    assert 'name="profession"' not in html
    assert 'name="user"' not in html and 'name="recherche"' not in html


def test_agent_creates_an_individu(client_as, agent):
    response = client_as("agent").post(CREATE, _data())
    individu = Individu.objects.get(nom="Dupont")
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:individu", args=[individu.pk])
    assert individu.telephone_mobile.replace(" ", "").endswith("612345678")
    assert individu.profession == "Infirmière"
    assert individu.date_naissance == datetime.date(1984, 3, 7)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("telephone_mobile", "12345", "Ce numéro de téléphone n’est pas valide"),
        ("email", "eleonore@", "Saisissez une adresse de courriel valide."),
        ("date_naissance", "2999-01-01", "La date ne peut pas être dans le futur."),
        ("nom", "", "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_saved(
    client_as, field, value, message
):
    response = client_as("agent").post(CREATE, _data(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'aria-describedby="id_{field}-messages"' in html  # the error is tied to its field
    assert not Individu.objects.exists()
    # What was typed is kept.
    assert 'value="Éléonore"' in html
    assert 'value="12 rue de la République"' in html


def test_future_birth_date_is_refused(client_as):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_as("agent").post(CREATE, _data(date_naissance=tomorrow.isoformat()))
    assert "La date ne peut pas être dans le futur." in response.content.decode()
    assert not Individu.objects.exists()


def test_restricted_fields_only_in_the_form_of_an_allowed_agent(client, agent, agent_habilite):
    client.force_login(agent)
    assert 'name="numero_allocataire"' not in client.get(CREATE).content.decode()
    client.force_login(agent_habilite)
    assert 'name="numero_allocataire"' in client.get(CREATE).content.decode()
    client.post(CREATE, _data(numero_allocataire="7654321"))
    assert Individu.objects.get().numero_allocataire == "7654321"


def test_a_plain_agent_cannot_set_restricted_fields(client_as):
    client_as("agent").post(CREATE, _data(numero_allocataire="7654321"))
    assert Individu.objects.get().numero_allocataire == ""


def test_edit_keeps_the_previous_address_and_leaves_restricted_data_alone(client_as, agent):
    individu = IndividuFactory(
        prenom="Éléonore", nom="Dupont", adresse="1 rue Jeanne d’Arc", numero_allocataire="42"
    )
    url = reverse("crm:individu_modifier", args=[individu.pk])
    client = client_as("agent")
    html = client.get(url).content.decode()
    assert 'value="1 rue Jeanne d’Arc"' in html
    response = client.post(url, _data(adresse="8 place du Martroi", agent_referent=agent.pk))
    assert response.status_code == 302
    individu.refresh_from_db()
    assert individu.adresse == "8 place du Martroi"
    assert individu.agent_referent == agent
    assert individu.numero_allocataire == "42"
    assert AdressePrecedente.objects.get(individu=individu).adresse == "1 rue Jeanne d’Arc"


def test_edit_with_bad_input_changes_nothing(client_as):
    individu = IndividuFactory(prenom="Éléonore", nom="Dupont")
    url = reverse("crm:individu_modifier", args=[individu.pk])
    response = client_as("agent").post(url, _data(nom="Martin", telephone_mobile="abc"))
    assert response.status_code == 200
    assert "Ce numéro de téléphone n’est pas valide" in response.content.decode()
    individu.refresh_from_db()
    assert individu.nom == "Dupont"


def test_edit_form_with_htmx_type_switch_shows_the_new_type_fields(client_as):
    individu = IndividuFactory()
    url = reverse("crm:individu_modifier", args=[individu.pk])
    html = client_as("agent").get(url, {"type_individu": "contact"}).content.decode()
    assert 'id="champs-type"' in html
    assert 'name="organisme"' in html and 'name="profession"' not in html
