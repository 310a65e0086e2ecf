import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.queries import assert_page_budget
from tests.usagers.factories import (
    IndividuFactory,
    InvitationFactory,
    MembreFactory,
    ProfilFactory,
    role,
    type_profil,
)
from usagers.enums import StatutInvitation
from usagers.models import Invitation, Membre, NatureProfil, Profil
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

CREATE = reverse("portal:profil_create")


@pytest.fixture
def individu(citizen):
    return compte_initialiser(user=citizen, prenom="Camille", nom="Martin")


@pytest.fixture
def asso(individu):
    """An association the citizen is responsable of."""
    profil = ProfilFactory(nom="Amicale des boulistes", sigle="ADB", telephone="")
    MembreFactory(profil=profil, individu=individu, role=role("responsable"))
    return profil


@pytest.fixture
def membre_simple(asso):
    return MembreFactory(profil=asso, individu=IndividuFactory(prenom="Paul", nom="Simon"))


def _url(name, profil, **kwargs):
    return reverse(f"portal:{name}", kwargs={"pk": profil.pk, **kwargs})


# Creation --------------------------------------------------------------------------------


def test_create_first_asks_the_kind_of_profil(client, citizen, individu):
    client.force_login(citizen)
    response = client.get(CREATE)
    body = response.content.decode()
    assert response.status_code == 200
    assert "?type=association" in body and "?type=entreprise" in body
    assert "?type=particulier" not in body  # the personal type is made at sign-up only


def test_create_form_fits_the_type(client, citizen, individu):
    client.force_login(citizen)
    body = client.get(CREATE + "?type=association").content.decode()
    assert 'name="rna"' in body
    assert "Association loi 1901" in body and "SARL" not in body
    body = client.get(CREATE + "?type=entreprise").content.decode()
    assert 'name="siret"' in body and 'name="rna"' not in body
    body = client.get(CREATE + "?type=foyer").content.decode()
    assert 'name="siret"' not in body and 'name="rna"' not in body


def _profil_data(**overrides):
    nature = NatureProfil.objects.get(libelle="Association loi 1901")
    data = {
        "type": "association",
        "nature": nature.pk,
        "nom": "Les Amis du Parc",
        "sigle": "",
        "rna": "W751234567",
        "siret": "",
        "email": "",
        "telephone": "",
        "site_web": "",
        "adresse": "",
        "complement_adresse": "",
        "code_postal": "",
        "commune": "Orléans",
    }
    return {**data, **overrides}


def test_create_makes_the_citizen_responsable(client, citizen, individu):
    client.force_login(citizen)
    response = client.post(CREATE, _profil_data())
    profil = Profil.objects.get(nom="Les Amis du Parc")
    assert response.status_code == 302
    assert response["Location"] == _url("profil_detail", profil)
    assert profil.type_profil == type_profil("association")
    assert profil.rna == "W751234567"
    membre = Membre.objects.get(profil=profil)
    assert membre.individu == individu and membre.role.responsable


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rna", "W12", "Ce numéro RNA n’est pas valide"),
        ("rna", "", "Ce champ est obligatoire."),
        ("telephone", "123", "Ce numéro de téléphone n’est pas valide"),
        ("nature", "999999", "Sélectionnez un choix valide"),
        ("nom", "", "Ce champ est obligatoire."),
        ("iban", "FR76 3000 6000 0112 3456 7890 180", "Cet IBAN n’est pas valide"),
        ("bic", "BDF", "Ce BIC n’est pas valide"),
    ],
)
def test_create_bad_input_is_said_next_to_the_field(
    client, citizen, individu, field, value, message
):
    client.force_login(citizen)
    response = client.post(CREATE, _profil_data(**{field: value, "commune": "Tours"}))
    assert response.status_code == 200
    body = response.content.decode()
    messages_block = body.split(f'id="id_{field}-messages"', 1)[1].split("</div>", 1)[0]
    assert message in messages_block
    assert 'value="Tours"' in body
    assert not Profil.objects.filter(personnel=False).exists()


def test_bank_details_are_stored_without_spaces(client, citizen, individu):
    client.force_login(citizen)
    data = _profil_data(iban="fr76 3000 6000 0112 3456 7890 189", bic="bdfe fr pp cct")
    client.post(CREATE, data)
    profil = Profil.objects.get(personnel=False)
    assert (profil.iban, profil.bic) == ("FR7630006000011234567890189", "BDFEFRPPCCT")


def test_create_refuses_a_nature_of_another_type(client, citizen, individu):
    client.force_login(citizen)
    sarl = NatureProfil.objects.get(libelle="SARL")
    response = client.post(CREATE, _profil_data(nature=sarl.pk))
    assert response.status_code == 200
    assert not Profil.objects.filter(personnel=False).exists()


def test_create_entreprise_checks_the_siret(client, citizen, individu):
    client.force_login(citizen)
    data = _profil_data(type="entreprise", nature="", siret="73282932000075", rna="")
    response = client.post(CREATE, data)
    assert "Ce numéro SIRET n’est pas valide" in response.content.decode()
    response = client.post(CREATE, {**data, "siret": "732 829 320 00074"})
    assert response.status_code == 302
    assert Profil.objects.get(nom="Les Amis du Parc").siret == "73282932000074"


def test_create_with_an_unknown_or_personal_type_asks_the_type_again(client, citizen, individu):
    client.force_login(citizen)
    response = client.post(CREATE, _profil_data(type="particulier"))
    assert response.status_code == 200
    assert "Pour quel type de groupe" in response.content.decode()
    assert not Profil.objects.filter(personnel=False).exists()


# Profil page -----------------------------------------------------------------------------


def test_profil_page_shows_filled_details_members_and_invitations(
    client, citizen, asso, membre_simple
):
    InvitationFactory(profil=asso, email="nouveau@exemple.fr")
    client.force_login(citizen)
    response = client.get(_url("profil_detail", asso))
    body = response.content.decode()
    assert response.status_code == 200
    assert "ADB" in body and asso.rna in body
    assert "Non renseigné" not in body and "Téléphone" not in body
    assert "Paul SIMON" in body and "Camille MARTIN" in body
    assert "nouveau@exemple.fr" in body
    assert _url("profil_edit", asso) in body
    assert _url("membre_remove", asso, membre_pk=membre_simple.pk) in body
    assert 'name="email"' in body  # invite form


def test_plain_member_sees_neither_invitations_nor_management(client, asso, membre_simple):
    user = _account_for(membre_simple.individu)
    InvitationFactory(profil=asso, email="nouveau@exemple.fr")
    client.force_login(user)
    body = client.get(_url("profil_detail", asso)).content.decode()
    assert "Paul SIMON" in body
    assert "nouveau@exemple.fr" not in body
    assert _url("profil_edit", asso) not in body
    assert "membres/" not in body
    assert 'name="email"' not in body
    assert _url("profil_leave", asso) in body


def _account_for(individu):
    user = UserFactory(email=individu.email)
    individu.user = user
    individu.save()
    return user


@pytest.mark.parametrize("name", ["profil_detail", "profil_edit"])
def test_non_member_gets_404(client, other_citizen, asso, name):
    client.force_login(other_citizen)
    assert client.get(_url(name, asso)).status_code == 404


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("profil_invite", {}),
        ("profil_leave", {}),
        ("invitation_revoke", {"invitation_pk": 0}),
        ("membre_remove", {"membre_pk": 0}),
    ],
)
def test_non_member_actions_get_404(client, other_citizen, asso, name, extra):
    if "invitation_pk" in extra:
        extra = {"invitation_pk": InvitationFactory(profil=asso).pk}
    if "membre_pk" in extra:
        extra = {"membre_pk": asso.adhesions.get().pk}
    client.force_login(other_citizen)
    response = client.post(_url(name, asso, **extra), {"email": "x@exemple.fr"})
    assert response.status_code == 404
    assert asso.adhesions.count() == 1


def test_profil_page_budget_does_not_grow_with_members_and_invitations(client, citizen, asso):
    client.force_login(citizen)
    client.get(_url("profil_detail", asso))

    def grow():
        for _ in range(3):
            MembreFactory(profil=asso)
            InvitationFactory(profil=asso)

    assert_page_budget(client, _url("profil_detail", asso), budget=14, grow=grow)


def test_personal_profil_cannot_be_shared_edited_or_left(client, citizen, individu):
    personnel = Profil.objects.get(personnel=True, adhesions__individu=individu)
    client.force_login(citizen)
    body = client.get(_url("profil_detail", personnel)).content.decode()
    assert 'name="email"' not in body and _url("profil_leave", personnel) not in body
    assert client.get(_url("profil_edit", personnel)).status_code == 403


# Edit ------------------------------------------------------------------------------------


def test_responsable_edits_the_profil_and_keeps_the_old_address(client, citizen, asso):
    asso.adresse = "1 place du Marché"
    asso.save()
    client.force_login(citizen)
    data = _profil_data(nom="Amicale bouliste", nature="", adresse="2 rue Neuve", rna=asso.rna)
    response = client.post(_url("profil_edit", asso), data)
    assert response.status_code == 302
    asso.refresh_from_db()
    assert (asso.nom, asso.adresse) == ("Amicale bouliste", "2 rue Neuve")
    assert asso.adresses_precedentes.get().adresse == "1 place du Marché"


def test_edit_bad_rna_saves_nothing(client, citizen, asso):
    client.force_login(citizen)
    response = client.post(_url("profil_edit", asso), _profil_data(nature="", rna="123"))
    assert response.status_code == 200
    assert "Ce numéro RNA n’est pas valide" in response.content.decode()
    asso.refresh_from_db()
    assert asso.nom == "Amicale des boulistes"


def test_plain_member_cannot_edit(client, asso, membre_simple):
    client.force_login(_account_for(membre_simple.individu))
    assert client.get(_url("profil_edit", asso)).status_code == 403
    response = client.post(_url("profil_edit", asso), _profil_data(rna=asso.rna))
    assert response.status_code == 403
    asso.refresh_from_db()
    assert asso.nom == "Amicale des boulistes"


# Invitations -----------------------------------------------------------------------------


def test_responsable_invites_by_email(client, citizen, asso, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("profil_invite", asso), {"email": "Voisin@Exemple.fr", "role": role("membre").pk}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(profil=asso)
    assert invitation.email == "voisin@exemple.fr"
    assert invitation.invite_par == citizen
    message = mail.outbox[-1]
    assert message.to == ["voisin@exemple.fr"]
    assert f"http://testserver/invitation/{invitation.token}/" in message.body


@pytest.mark.parametrize("email", ["pas-une-adresse", ""])
def test_invite_bad_email_is_said_next_to_the_field(client, citizen, asso, email):
    client.force_login(citizen)
    response = client.post(_url("profil_invite", asso), {"email": email, "role": role("membre").pk})
    assert response.status_code == 200
    assert 'id="id_email-messages"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_an_existing_member_is_refused_next_to_the_field(
    client, citizen, asso, membre_simple
):
    member_user = _account_for(membre_simple.individu)
    client.force_login(citizen)
    response = client.post(
        _url("profil_invite", asso), {"email": member_user.email, "role": role("membre").pk}
    )
    body = response.content.decode()
    messages_block = body.split('id="id_email-messages"', 1)[1].split("</div>", 1)[0]
    assert "déjà membre" in messages_block
    assert f'value="{member_user.email}"' in body


def test_plain_member_cannot_invite(client, asso, membre_simple):
    client.force_login(_account_for(membre_simple.individu))
    response = client.post(
        _url("profil_invite", asso), {"email": "x@exemple.fr", "role": role("membre").pk}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_responsable_revokes_an_invitation(client, citizen, asso):
    invitation = InvitationFactory(profil=asso)
    client.force_login(citizen)
    response = client.post(_url("invitation_revoke", asso, invitation_pk=invitation.pk))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.statut == StatutInvitation.REVOQUEE


def test_revoke_twice_says_why(client, citizen, asso):
    invitation = InvitationFactory(profil=asso, statut=StatutInvitation.REVOQUEE)
    client.force_login(citizen)
    response = client.post(
        _url("invitation_revoke", asso, invitation_pk=invitation.pk), follow=True
    )
    assert "Seule une invitation en attente peut être révoquée." in response.content.decode()


def test_invitation_of_another_profil_cannot_be_revoked_through_mine(client, citizen, asso):
    other = InvitationFactory()
    client.force_login(citizen)
    response = client.post(_url("invitation_revoke", asso, invitation_pk=other.pk))
    assert response.status_code == 404


def test_plain_member_cannot_revoke(client, asso, membre_simple):
    invitation = InvitationFactory(profil=asso)
    client.force_login(_account_for(membre_simple.individu))
    response = client.post(_url("invitation_revoke", asso, invitation_pk=invitation.pk))
    assert response.status_code == 403


# Members ---------------------------------------------------------------------------------


def test_responsable_removes_a_member(client, citizen, asso, membre_simple):
    client.force_login(citizen)
    response = client.post(_url("membre_remove", asso, membre_pk=membre_simple.pk))
    assert response.status_code == 302
    assert not Membre.objects.filter(pk=membre_simple.pk).exists()


def test_plain_member_cannot_remove(client, citizen, asso, membre_simple):
    responsable = asso.adhesions.get(role__responsable=True)
    client.force_login(_account_for(membre_simple.individu))
    response = client.post(_url("membre_remove", asso, membre_pk=responsable.pk))
    assert response.status_code == 403
    assert Membre.objects.filter(pk=responsable.pk).exists()


def test_member_leaves_the_profil(client, asso, membre_simple):
    user = _account_for(membre_simple.individu)
    client.force_login(user)
    client.post(reverse("portal:profil_switch"), {"profil": asso.pk})
    response = client.post(_url("profil_leave", asso))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:account")
    assert not Membre.objects.filter(pk=membre_simple.pk).exists()
    assert client.get(_url("profil_detail", asso)).status_code == 404
    assert client.get(reverse("portal:account")).context["courante"].profil.personnel


def test_last_responsable_cannot_leave(client, citizen, asso, membre_simple):
    client.force_login(citizen)
    response = client.post(_url("profil_leave", asso), follow=True)
    assert "Le dernier responsable ne peut pas quitter le profil" in response.content.decode()
    assert asso.adhesions.filter(individu__user=citizen).exists()
