import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.usagers.factories import InvitationFactory, ProfilFactory, role
from usagers.enums import StatutInvitation
from usagers.models import Membre

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(citizen, other_citizen):
    return InvitationFactory(
        profil=ProfilFactory(nom="Club de lecture"),
        email=citizen.email,
        role=role("membre"),
        invite_par=other_citizen,
    )


def _url(invitation):
    return reverse("portal:invitation", kwargs={"token": invitation.token})


def test_anonymous_sees_who_invites_and_is_asked_to_sign_in(client, invitation, other_citizen):
    response = client.get(_url(invitation))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Club de lecture" in body and escape(str(other_citizen)) in body
    login = f"{reverse('account_login')}?next={_url(invitation)}&amp;email=usager%40exemple.fr"
    assert login in body
    assert reverse("account_signup") + "?next=" in body
    assert 'value="accepter"' not in body


def test_anonymous_post_is_sent_to_login(client, invitation):
    response = client.post(_url(invitation), {"decision": "accepter"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Membre.objects.filter(profil=invitation.profil).exists()


def test_unknown_token_is_404(client):
    assert client.get("/invitation/nexiste-pas/").status_code == 404


def test_invited_citizen_accepts(client, citizen, invitation):
    client.force_login(citizen)
    assert 'value="accepter"' in client.get(_url(invitation)).content.decode()
    response = client.post(_url(invitation), {"decision": "accepter"})
    profil = invitation.profil
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:profil_detail", kwargs={"pk": profil.pk})
    assert Membre.objects.get(profil=profil, individu__user=citizen).role == role("membre")
    invitation.refresh_from_db()
    assert invitation.statut == StatutInvitation.ACCEPTEE
    body = client.get(reverse("portal:account")).content.decode()
    assert "Club de lecture" in body


def test_invited_citizen_declines(client, citizen, invitation):
    client.force_login(citizen)
    response = client.post(_url(invitation), {"decision": "refuser"})
    assert response["Location"] == reverse("portal:account")
    invitation.refresh_from_db()
    assert invitation.statut == StatutInvitation.REFUSEE
    assert not Membre.objects.filter(profil=invitation.profil).exists()


def test_another_account_is_told_and_cannot_answer(client, other_citizen, invitation):
    client.force_login(other_citizen)
    response = client.get(_url(invitation))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cette invitation a été envoyée à usager@exemple.fr" in body
    assert 'value="accepter"' not in body
    for decision in ("accepter", "refuser"):
        response = client.post(_url(invitation), {"decision": decision})
        assert response.status_code == 200
        assert "Cette invitation a été envoyée à usager@exemple.fr" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.statut == StatutInvitation.EN_ATTENTE


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"expire_le": timezone.now() - datetime.timedelta(minutes=1)}, "a expiré"),
        ({"statut": StatutInvitation.REVOQUEE}, "elle a été révoquée"),
        ({"statut": StatutInvitation.REFUSEE}, "elle a été refusée"),
        ({"statut": StatutInvitation.ACCEPTEE}, "elle a été acceptée"),
    ],
)
@pytest.mark.parametrize("signed_in", [False, True])
def test_invitation_no_longer_open_is_gone_with_the_reason(
    client, citizen, invitation, changes, message, signed_in
):
    for name, value in changes.items():
        setattr(invitation, name, value)
    invitation.save()
    if signed_in:
        client.force_login(citizen)
    response = client.get(_url(invitation))
    body = response.content.decode()
    assert response.status_code == 410
    assert "Cette invitation n’est plus valable" in body and message in body
    assert 'value="accepter"' not in body
    if signed_in:
        response = client.post(_url(invitation), {"decision": "accepter"})
        assert response.status_code == 410
        assert not Membre.objects.filter(profil=invitation.profil).exists()


def test_accepting_from_mon_compte(client, citizen, invitation):
    client.force_login(citizen)
    body = client.get(reverse("portal:account")).content.decode()
    assert f'action="{_url(invitation)}"' in body
    client.post(_url(invitation), {"decision": "accepter"})
    assert Membre.objects.filter(profil=invitation.profil, individu__user=citizen).exists()
