import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Connexion
from tests.accounts.factories import UserFactory
from tests.usagers.factories import (
    IndividuFactory,
    InvitationFactory,
    LienParenteFactory,
    MembreFactory,
    ProfilFactory,
    role,
    type_profil,
)
from usagers import services
from usagers.models import AdressePrecedente, Fusion, Individu, Membre, Profil

pytestmark = pytest.mark.django_db


def _lien(invitation):
    return f"https://guichet.exemple.fr/invitation/{invitation.token}/"


# Individus -------------------------------------------------------------------------------


def test_changing_the_address_keeps_the_previous_one():
    individu = IndividuFactory(adresse="3 rue des Lilas", code_postal="45000", commune="Orléans")
    changed = services.individu_modifier(
        individu=individu, by=None, adresse="8 place du Martroi", commune="Orléans"
    )
    assert changed == ["adresse"]
    previous = AdressePrecedente.objects.get(individu=individu)
    assert previous.adresse == "3 rue des Lilas"


def test_unchanged_address_keeps_no_history():
    individu = IndividuFactory()
    services.individu_modifier(individu=individu, by=None, profession="Infirmière")
    assert not AdressePrecedente.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("telephone_mobile", "12", "numéro de téléphone n’est pas valide"),
        ("date_naissance", datetime.date(2999, 1, 1), "futur"),
        ("email", "pas-une-adresse", "adresse de courriel valide"),
    ],
)
def test_bad_individu_data_is_refused_and_nothing_saved(field, value, message):
    individu = IndividuFactory()
    before = Individu.objects.values().get(pk=individu.pk)
    with pytest.raises(ValidationError) as error:
        services.individu_modifier(individu=individu, by=None, **{field: value})
    assert message in " ".join(error.value.message_dict[field])
    assert Individu.objects.values().get(pk=individu.pk) == before


def test_personal_profil_follows_the_person():
    user = UserFactory(email="suivi@exemple.fr")
    individu = services.compte_initialiser(user=user, prenom="Léa", nom="Petit")
    services.individu_modifier(
        individu=individu, by=user, nom_usage="Moreau", adresse="2 rue Neuve", commune="Tours"
    )
    profil = Profil.objects.get(personnel=True, adhesions__individu=individu)
    assert (profil.nom, profil.adresse, profil.commune) == ("Léa MOREAU", "2 rue Neuve", "Tours")


def test_mass_assignment_to_an_agent():
    agent = UserFactory(agent=True)
    individus = IndividuFactory.create_batch(3)
    assert services.individus_assigner(individus=individus, agent=agent, by=agent) == 3
    assert Individu.objects.filter(agent_referent=agent).count() == 3


def test_mass_assignment_refuses_a_citizen():
    with pytest.raises(services.ActionRefusee):
        services.individus_assigner(
            individus=IndividuFactory.create_batch(1),
            agent=UserFactory(),
            by=UserFactory(agent=True),
        )


def test_a_link_to_oneself_is_refused():
    individu = IndividuFactory()
    with pytest.raises(services.ActionRefusee):
        services.lien_parente_creer(
            individu=individu, apparente=individu, type_lien="parent", by=None
        )


# Profils ---------------------------------------------------------------------------------


def test_profil_creation_makes_the_creator_responsable():
    individu = IndividuFactory()
    profil = services.profil_creer(
        by=None,
        responsable=individu,
        type_profil=type_profil("association"),
        nom="Les Amis du Loiret",
        rna="W451000123",
    )
    membre = Membre.objects.get(profil=profil)
    assert membre.individu == individu and membre.role.responsable


@pytest.mark.parametrize(
    ("type_code", "data", "field"),
    [
        ("association", {"rna": "X123"}, "rna"),
        ("association", {}, "rna"),
        ("entreprise", {"siret": "12345678901234"}, "siret"),
        ("entreprise", {}, "siret"),
    ],
)
def test_profil_identifiers_are_checked(type_code, data, field):
    with pytest.raises(ValidationError) as error:
        services.profil_creer(by=None, type_profil=type_profil(type_code), nom="Test", **data)
    assert field in error.value.message_dict
    assert not Profil.objects.filter(nom="Test").exists()


def test_valid_siret_is_stored_as_digits_with_its_siren():
    profil = services.profil_creer(
        by=None,
        type_profil=type_profil("entreprise"),
        nom="Boulangerie Martin",
        siret="732 829 320 00074",
    )
    assert profil.siret == "73282932000074" and profil.siren == "732829320"


def test_last_responsable_cannot_leave():
    membre = MembreFactory(role=role("responsable"))
    user = UserFactory()
    with pytest.raises(services.ActionRefusee, match="dernier responsable"):
        services.profil_quitter(profil=membre.profil, individu=membre.individu, by=user)


def test_a_member_can_leave():
    membre = MembreFactory(role=role("membre"))
    MembreFactory(profil=membre.profil, role=role("responsable"))
    services.profil_quitter(profil=membre.profil, individu=membre.individu, by=UserFactory())
    assert not Membre.objects.filter(pk=membre.pk).exists()


# Accounts --------------------------------------------------------------------------------


def test_signup_attaches_the_individu_known_by_email():
    known = IndividuFactory(email="camille@exemple.fr")
    user = UserFactory(email="camille@exemple.fr")
    individu = services.compte_initialiser(user=user)
    assert individu.pk == known.pk and individu.user == user
    assert Profil.objects.filter(personnel=True, adhesions__individu=individu).count() == 1


def test_signup_creates_individu_and_personal_profile_once():
    user = UserFactory(email="nouveau@exemple.fr")
    first = services.compte_initialiser(user=user, prenom="Léa", nom="Petit")
    second = services.compte_initialiser(user=user)
    assert first.pk == second.pk and first.nom == "Petit"
    assert Profil.objects.filter(personnel=True).count() == 1


# Invitations -----------------------------------------------------------------------------


def _responsable_profil():
    user = UserFactory()
    individu = services.compte_initialiser(user=user)
    profil = ProfilFactory()
    MembreFactory(profil=profil, individu=individu, role=role("responsable"))
    return user, profil


def test_invitation_is_mailed_and_accepted(django_capture_on_commit_callbacks):
    user, profil = _responsable_profil()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_creer(
            profil=profil, email="Ami@Exemple.fr", role=role("membre"), by=user, lien=_lien
        )
    assert invitation.email == "ami@exemple.fr"
    assert _lien(invitation) in mail.outbox[0].body
    invited = UserFactory(email="ami@exemple.fr")
    membre = services.invitation_accepter(invitation=invitation, user=invited)
    assert membre.profil == profil and membre.individu.user == invited
    invitation.refresh_from_db()
    assert invitation.statut == "acceptee"
    with pytest.raises(services.ActionRefusee, match="acceptée"):
        services.invitation_accepter(invitation=invitation, user=invited)


def test_only_a_responsable_invites():
    _user, profil = _responsable_profil()
    with pytest.raises(PermissionDenied):
        services.invitation_creer(
            profil=profil, email="x@exemple.fr", role=role("membre"), by=UserFactory(), lien=_lien
        )


def test_one_pending_invitation_per_email():
    user, profil = _responsable_profil()
    services.invitation_creer(
        profil=profil, email="x@exemple.fr", role=role("membre"), by=user, lien=_lien
    )
    with pytest.raises(services.ActionRefusee, match="déjà en attente"):
        services.invitation_creer(
            profil=profil, email="X@exemple.fr", role=role("membre"), by=user, lien=_lien
        )


def test_expired_invitation_is_refused_and_can_be_sent_again():
    user, profil = _responsable_profil()
    invitation = InvitationFactory(profil=profil, email="tard@exemple.fr", expire_le=timezone.now())
    with pytest.raises(services.ActionRefusee, match="expiré"):
        services.invitation_accepter(
            invitation=invitation, user=UserFactory(email="tard@exemple.fr")
        )
    services.invitation_creer(
        profil=profil, email="tard@exemple.fr", role=role("membre"), by=user, lien=_lien
    )


def test_revoked_invitation_is_refused():
    user, profil = _responsable_profil()
    invitation = InvitationFactory(profil=profil, email="r@exemple.fr")
    services.invitation_revoquer(invitation=invitation, by=user)
    with pytest.raises(services.ActionRefusee, match="révoquée"):
        services.invitation_accepter(invitation=invitation, user=UserFactory(email="r@exemple.fr"))


def test_invitation_for_another_email_is_refused():
    _user, profil = _responsable_profil()
    invitation = InvitationFactory(profil=profil, email="bon@exemple.fr")
    with pytest.raises(services.ActionRefusee, match="bon@exemple.fr"):
        services.invitation_accepter(
            invitation=invitation, user=UserFactory(email="autre@exemple.fr")
        )


# Login notices ---------------------------------------------------------------------------


def test_login_is_recorded_and_notified(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="veille@exemple.fr")
    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/compte/connexion/",
            {"login": "veille@exemple.fr", "password": "Mot-de-passe-solide-2026"},
            HTTP_USER_AGENT=firefox,
            REMOTE_ADDR="203.0.113.7",
        )
    connexion = Connexion.objects.get(user=user)
    assert connexion.ip == "203.0.113.7" and connexion.navigateur == "Firefox sur Linux"
    notice = mail.outbox[-1]
    assert notice.to == ["veille@exemple.fr"] and "Nouvelle connexion" in notice.subject
    assert "Firefox sur Linux" in notice.body and "203.0.113.7" in notice.body


# Merges ----------------------------------------------------------------------------------


def test_merge_moves_every_link_and_fills_blanks():
    conserve = IndividuFactory(email="eleonore@exemple.fr", profession="")
    absorbe = IndividuFactory(email="eleonore@exemple.fr", profession="Professeure")
    membre = MembreFactory(individu=absorbe)
    enfant = LienParenteFactory(individu=absorbe).apparente
    AdressePrecedente.objects.create(individu=absorbe, adresse="1 rue Ancienne")
    agent = UserFactory(agent=True)

    fusion = services.individus_fusionner(conserve=conserve, absorbe=absorbe, by=agent)

    assert not Individu.objects.filter(pk=absorbe.pk).exists()
    conserve.refresh_from_db()
    assert conserve.profession == "Professeure"
    assert Membre.objects.get(pk=membre.pk).individu == conserve
    assert conserve.liens.get().apparente == enfant
    assert conserve.adresses_precedentes.count() == 1
    assert fusion.par == agent and fusion.absorbe_donnees["profession"] == "Professeure"
    assert Fusion.objects.count() == 1


def test_merge_keeps_one_membership_when_both_belong_to_the_profil():
    conserve, absorbe = IndividuFactory(), IndividuFactory()
    profil = ProfilFactory()
    MembreFactory(profil=profil, individu=conserve)
    MembreFactory(profil=profil, individu=absorbe)
    services.individus_fusionner(conserve=conserve, absorbe=absorbe, by=UserFactory(agent=True))
    assert Membre.objects.filter(profil=profil).count() == 1


@pytest.mark.parametrize("case", ["self", "types", "accounts"])
def test_impossible_merges_are_refused_with_the_reason(case):
    a = IndividuFactory()
    if case == "self":
        b, reason = a, "elle-même"
    elif case == "types":
        b, reason = IndividuFactory(enfant=True), "changez d’abord le type"
    else:
        a.user = UserFactory()
        a.save()
        b = IndividuFactory(user=UserFactory())
        reason = "deux comptes"
    with pytest.raises(services.ActionRefusee, match=reason):
        services.individus_fusionner(conserve=a, absorbe=b, by=UserFactory(agent=True))
    assert Individu.objects.filter(pk=a.pk).exists() and Individu.objects.filter(pk=b.pk).exists()


def test_profils_of_different_types_are_not_merged():
    association = ProfilFactory()
    entreprise = ProfilFactory(
        type_profil=type_profil("entreprise"), rna="", siret="73282932000074"
    )
    with pytest.raises(services.ActionRefusee, match="types différents"):
        services.profils_fusionner(
            conserve=association, absorbe=entreprise, by=UserFactory(agent=True)
        )


def test_profils_merge_moves_members():
    conserve, absorbe = ProfilFactory(), ProfilFactory()
    membre = MembreFactory(profil=absorbe)
    services.profils_fusionner(conserve=conserve, absorbe=absorbe, by=UserFactory(agent=True))
    assert Membre.objects.get(pk=membre.pk).profil == conserve
    assert not Profil.objects.filter(pk=absorbe.pk).exists()
