import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Connexion
from accounts.sessions import ACTIVITY_INTERVAL, SEEN
from tests.accounts.factories import PASSWORD
from tests.queries import BUDGET_MON_COMPTE, assert_page_budget
from tests.usagers.factories import (
    IndividuFactory,
    InvitationFactory,
    MembreFactory,
    ProfilFactory,
    role,
)
from usagers.models import AdressePrecedente, Individu, Profil
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("portal:account")
EDIT = reverse("portal:account_edit")


@pytest.fixture
def individu(citizen):
    return compte_initialiser(user=citizen, prenom="Camille", nom="Martin")


def test_account_made_elsewhere_gets_its_individu_and_personal_profil(client, citizen):
    client.force_login(citizen)
    response = client.get(ACCOUNT)
    assert response.status_code == 200
    individu = Individu.objects.get(user=citizen)
    assert Profil.objects.filter(personnel=True, adhesions__individu=individu).exists()


def test_individu_known_without_personal_profil_gets_one(client, citizen):
    IndividuFactory(user=citizen, email=citizen.email)
    client.force_login(citizen)
    body = client.get(ACCOUNT).content.decode()
    assert "Personnel" in body
    assert Profil.objects.filter(personnel=True, adhesions__individu__user=citizen).count() == 1


def test_account_shows_only_filled_fields(client, citizen, individu):
    individu.date_naissance = datetime.date(1985, 3, 14)
    individu.telephone_mobile = "+33612345678"
    individu.save()
    client.force_login(citizen)
    body = client.get(ACCOUNT).content.decode()
    assert "14 mars 1985" in body
    assert "06 12 34 56 78" in body
    assert "Non renseigné" not in body
    assert "Lieu de naissance" not in body  # empty: no row
    assert "Téléphone fixe" not in body
    assert reverse("portal:account_edit") in body


def test_account_lists_profils_personal_first_with_type_role_and_members(client, citizen, individu):
    asso = ProfilFactory(nom="Amicale des boulistes")
    MembreFactory(profil=asso, individu=individu, role=role("responsable"))
    MembreFactory(profil=asso)
    client.force_login(citizen)
    response = client.get(ACCOUNT)
    adhesions = response.context["adhesions"]
    assert adhesions[0].profil.personnel
    assert [(a.profil.nom, a.effectif) for a in adhesions[1:]] == [("Amicale des boulistes", 2)]
    body = response.content.decode()
    assert "Association" in body and "Responsable" in body
    assert response.context["courante"] == adhesions[0]  # personal profil by default


def test_switching_profil_keeps_it_current(client, citizen, individu):
    asso = ProfilFactory(nom="Amicale des boulistes")
    MembreFactory(profil=asso, individu=individu)
    client.force_login(citizen)
    response = client.post(reverse("portal:profil_switch"), {"profil": asso.pk})
    assert response.status_code == 302
    assert client.get(ACCOUNT).context["courante"].profil == asso


@pytest.mark.parametrize("value", ["", "abc"])
def test_switching_needs_a_profil(client, citizen, individu, value):
    client.force_login(citizen)
    assert client.post(reverse("portal:profil_switch"), {"profil": value}).status_code == 404


def test_cannot_switch_to_a_profil_of_others(client, citizen, individu):
    other = MembreFactory().profil
    client.force_login(citizen)
    assert client.post(reverse("portal:profil_switch"), {"profil": other.pk}).status_code == 404
    assert client.get(ACCOUNT).context["courante"].profil.personnel


def test_switch_goes_back_only_to_this_site(client, citizen, individu):
    asso = MembreFactory(individu=individu).profil
    client.force_login(citizen)
    url = reverse("portal:profil_switch")
    response = client.post(url, {"profil": asso.pk, "next": "https://ailleurs.example/"})
    assert response["Location"] == ACCOUNT
    response = client.post(url, {"profil": asso.pk, "next": "/mon-compte/informations/"})
    assert response["Location"] == "/mon-compte/informations/"


def test_account_shows_pending_invitations_received(client, citizen, individu):
    InvitationFactory(email=citizen.email, profil=ProfilFactory(nom="Club de lecture"))
    InvitationFactory(
        email=citizen.email,
        profil=ProfilFactory(nom="Ancien club"),
        expire_le=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(citizen)
    body = client.get(ACCOUNT).content.decode()
    assert "Invitations reçues" in body
    assert "Club de lecture" in body
    assert "Ancien club" not in body


def test_account_shows_last_ten_logins_in_paris_time(client, citizen, individu):
    for _ in range(12):
        Connexion.objects.create(user=citizen, ip="203.0.113.7", navigateur="Firefox sur Linux")
    Connexion.objects.create(
        user=citizen,
        le=datetime.datetime(2026, 7, 1, 10, 30, tzinfo=datetime.UTC),
        navigateur="Safari sur iOS",
    )
    client.force_login(citizen)
    response = client.get(ACCOUNT)
    assert len(response.context["connexions"]) == 10
    body = response.content.decode()
    assert "203.0.113.7" in body and "Firefox sur Linux" in body


def test_login_dates_are_paris_time(client, citizen, individu):
    Connexion.objects.create(
        user=citizen,
        le=datetime.datetime(2026, 7, 1, 10, 30, tzinfo=datetime.UTC),
        navigateur="Safari sur iOS",
    )
    client.force_login(citizen)
    assert "1 juillet 2026 à 12:30" in client.get(ACCOUNT).content.decode()


def test_account_links_to_sessions_and_two_factor(client, citizen, individu):
    client.force_login(citizen)
    body = client.get(ACCOUNT).content.decode()
    assert reverse("usersessions_list") in body
    assert reverse("mfa_index") in body


def test_account_budget_does_not_grow_with_profils_invitations_and_logins(
    client, citizen, individu
):
    _log_in(client, citizen)

    def grow():
        for _ in range(3):
            MembreFactory(individu=individu)
            InvitationFactory(email=citizen.email)
            Connexion.objects.create(user=citizen, navigateur="Firefox")

    # The session itself comes from its cache; the blocks are listed in tests/queries.py.
    assert_page_budget(client, ACCOUNT, budget=BUDGET_MON_COMPTE, grow=grow)


# Personal data ------------------------------------------------------------------------


def _data(**overrides):
    data = {
        "civilite": "mme",
        "prenom": "Camille",
        "nom": "Martin",
        "nom_usage": "",
        "date_naissance": "1985-03-14",
        "lieu_naissance": "Orléans",
        "telephone_mobile": "06 12 34 56 78",
        "telephone_fixe": "",
        "adresse": "3 rue des Lilas",
        "complement_adresse": "",
        "code_postal": "45000",
        "commune": "Orléans",
    }
    return {**data, **overrides}


def test_edit_page_is_prefilled(client, citizen, individu):
    client.force_login(citizen)
    response = client.get(EDIT)
    assert response.status_code == 200
    assert 'value="Camille"' in response.content.decode()


def test_edit_saves_and_keeps_the_previous_address(client, citizen, individu):
    client.force_login(citizen)
    client.post(EDIT, _data())
    response = client.post(EDIT, _data(adresse="8 avenue de Paris"))
    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    individu.refresh_from_db()
    assert individu.adresse == "8 avenue de Paris"
    assert individu.date_naissance == datetime.date(1985, 3, 14)
    assert AdressePrecedente.objects.get(individu=individu).adresse == "3 rue des Lilas"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("telephone_mobile", "12", "Ce numéro de téléphone n’est pas valide"),
        ("date_naissance", "2999-01-01", "La date ne peut pas être dans le futur."),
        ("prenom", "", "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_said_next_to_the_field_and_nothing_is_saved(
    client, citizen, individu, field, value, message
):
    client.force_login(citizen)
    response = client.post(EDIT, _data(**{field: value, "lieu_naissance": "Tours"}))
    assert response.status_code == 200
    body = response.content.decode()
    messages_block = body.split(f'id="id_{field}-messages"', 1)[1].split("</div>", 1)[0]
    assert message in messages_block
    assert 'value="Tours"' in body  # what was typed is kept
    individu.refresh_from_db()
    assert individu.lieu_naissance == ""


def _log_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_login_records_the_session_shown_on_mon_compte(client, citizen, individu):
    _log_in(client, citizen)
    session = UserSession.objects.get(user=citizen)
    assert session.ip == "127.0.0.1"
    assert "1 session ouverte" in client.get(ACCOUNT).content.decode()
    response = client.get(reverse("usersessions_list"))
    body = response.content.decode()
    assert "Sessions ouvertes" in body and "Session actuelle" in body


def test_other_sessions_can_be_ended(client, citizen, individu):
    other = Client()
    _log_in(other, citizen)
    _log_in(client, citizen)
    assert "2 sessions ouvertes" in client.get(ACCOUNT).content.decode()
    response = client.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert "1 session ouverte" in client.get(ACCOUNT).content.decode()
    assert other.get(ACCOUNT).status_code == 302  # signed out


def test_session_activity_is_refreshed_every_few_minutes_not_on_each_page(
    client, citizen, individu
):
    _log_in(client, citizen)
    session = UserSession.objects.get(user=citizen)
    client.get(ACCOUNT)
    assert UserSession.objects.get(pk=session.pk).last_seen_at == session.last_seen_at
    store = client.session
    store[SEEN] -= ACTIVITY_INTERVAL
    store.save()
    client.get(ACCOUNT)
    assert UserSession.objects.get(pk=session.pk).last_seen_at > session.last_seen_at


def test_logged_out_sessions_are_not_counted(client, citizen, individu):
    other = Client()
    _log_in(other, citizen)
    other.post(reverse("account_logout"))
    _log_in(client, citizen)
    assert "1 session ouverte" in client.get(ACCOUNT).content.decode()
