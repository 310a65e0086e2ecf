import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import UserFactory
from tests.usagers.factories import IndividuFactory
from usagers.models import Individu, Profil

pytestmark = pytest.mark.django_db


def _signup(client, email, password, password2=None, prenom="Camille", nom="Martin"):
    return client.post(
        reverse("account_signup"),
        {
            "prenom": prenom,
            "nom": nom,
            "email": email,
            "password1": password,
            "password2": password2 or password,
        },
    )


def test_signup_creates_an_unverified_account_and_sends_the_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, "Nouvelle@Exemple.fr", "Un-mot-de-passe-solide-42")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert not user.is_agent and not user.is_staff
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "/compte/confirmer-adresse/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Court-1", "au minimum 12 caractères"),
        ("password1234", "trop courant"),
        ("123456789012345", "entièrement numérique"),
    ],
)
def test_weak_passwords_are_refused_in_french(client, password, message):
    response = _signup(client, "faible@exemple.fr", password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="faible@exemple.fr"' in response.content.decode()
    assert not User.objects.filter(email="faible@exemple.fr").exists()


def test_email_already_used_is_said_next_to_the_field(client):
    UserFactory(email="deja@exemple.fr")
    response = _signup(client, "DEJA@exemple.fr", "Un-mot-de-passe-solide-42")
    body = response.content.decode()
    assert response.status_code == 200
    assert "utilise déjà cette adresse" in body
    assert 'id="id_email-messages"' in body
    assert User.objects.filter(email__iexact="deja@exemple.fr").count() == 1


def test_mismatched_confirmation_is_refused(client):
    response = _signup(client, "x@exemple.fr", "Un-mot-de-passe-solide-42", "Autre-mot-de-passe-99")
    body = response.content.decode()
    assert "Vous devez saisir deux fois le même mot de passe." in body
    assert 'value="x@exemple.fr"' in body


def test_unverified_citizen_cannot_log_in(client):
    UserFactory(email="pasverifie@exemple.fr", verified=False)
    EmailAddress.objects.create(
        user=User.objects.get(email="pasverifie@exemple.fr"),
        email="pasverifie@exemple.fr",
        verified=False,
        primary=True,
    )
    response = client.post(
        reverse("account_login"),
        {"login": "pasverifie@exemple.fr", "password": "Mot-de-passe-solide-2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_signup_asks_names_first_and_creates_the_individu_and_personal_profil(client):
    response = client.get(reverse("account_signup"))
    body = response.content.decode()
    assert body.index('name="prenom"') < body.index('name="nom"') < body.index('name="email"')

    response = _signup(client, "nouvelle@exemple.fr", "Un-mot-de-passe-solide-42")
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert (user.first_name, user.last_name) == ("Camille", "Martin")
    individu = Individu.objects.get(user=user)
    assert (individu.prenom, individu.nom, individu.email) == (
        "Camille",
        "Martin",
        "nouvelle@exemple.fr",
    )
    personnel = Profil.objects.get(personnel=True, adhesions__individu=individu)
    assert personnel.adhesions.get().role.responsable


def test_signup_attaches_the_individu_already_known_by_its_email(client):
    known = IndividuFactory(email="connue@exemple.fr", prenom="Léa", nom="Durand")
    _signup(client, "connue@exemple.fr", "Un-mot-de-passe-solide-42", prenom="Lea", nom="Autre")
    known.refresh_from_db()
    assert known.user.email == "connue@exemple.fr"
    assert (known.prenom, known.nom) == ("Léa", "Durand")  # what was known is kept
    assert Individu.objects.filter(email__iexact="connue@exemple.fr").count() == 1


def test_names_are_required(client):
    response = _signup(client, "sansnom@exemple.fr", "Un-mot-de-passe-solide-42", prenom="", nom="")
    body = response.content.decode()
    assert 'id="id_prenom-messages"' in body and "Ce champ est obligatoire." in body
    assert 'value="sansnom@exemple.fr"' in body
    assert not User.objects.filter(email="sansnom@exemple.fr").exists()


def test_used_email_offers_to_sign_in_with_it_and_keeps_what_was_typed(client):
    UserFactory(email="deja@exemple.fr")
    response = _signup(client, "deja@exemple.fr", "Un-mot-de-passe-solide-42", prenom="Zoé")
    body = response.content.decode()
    assert "fr-callout" in body
    assert "Se connecter avec cette adresse" in body
    assert f"{reverse('account_login')}?email=deja%40exemple.fr" in body
    assert reverse("account_reset_password") in body
    assert 'value="Zoé"' in body and 'value="deja@exemple.fr"' in body


def test_other_errors_do_not_offer_to_sign_in(client):
    response = _signup(client, "libre@exemple.fr", "azerty")
    assert "Se connecter avec cette adresse" not in response.content.decode()


def test_login_page_prefills_the_address_given(client):
    response = client.get(reverse("account_login") + "?email=deja@exemple.fr")
    assert 'value="deja@exemple.fr"' in response.content.decode()
    response = client.get(reverse("account_login") + "?email=pas-une-adresse")
    assert "pas-une-adresse" not in response.content.decode()
