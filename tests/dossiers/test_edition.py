"""Who edits a dossier (F14, P7, F10): services and daily tasks."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from dossiers import services_edition, suivi, tasks
from dossiers.models import CoEditeur, Dossier, Historique, StatutJeton
from dossiers.selectors import brouillons_de, dossiers_of
from notifications.models import Message
from tests.accounts.factories import UserFactory
from tests.dossiers.edition import brouillon, commencer, depose, dispositif_petit
from usagers.models import Individu
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

LIEN = lambda jeton: f"https://exemple.fr/{jeton.token}/"  # noqa: E731


@pytest.fixture
def aide(db):
    return dispositif_petit()


@pytest.fixture
def auteur(citizen):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    return citizen


@pytest.fixture
def ami(other_citizen):
    compte_initialiser(user=other_citizen, prenom="Dominique", nom="Voisin")
    return other_citizen


def _vieillir(dossier, jours):
    Dossier.objects.filter(pk=dossier.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=jours)
    )


# Drafts --------------------------------------------------------------------------------


def test_expired_drafts_are_deleted_and_others_kept(aide, auteur):
    aide.brouillon_duree = 30
    aide.save()
    vieux, recent = brouillon(aide, auteur), brouillon(aide, auteur)
    depose_ancien = depose(aide, auteur)
    _vieillir(vieux, 31)
    _vieillir(recent, 29)
    _vieillir(depose_ancien, 400)

    assert tasks.brouillons_entretenir()["supprimes"] == 1

    assert set(Dossier.objects.values_list("pk", flat=True)) == {recent.pk, depose_ancien.pk}


def test_a_zero_lifetime_keeps_drafts_for_ever(aide, auteur):
    aide.brouillon_duree = 0
    aide.save()
    vieux = brouillon(aide, auteur)
    _vieillir(vieux, 3000)
    assert services_edition.brouillons_purger() == 0
    assert services_edition.brouillon_expire_le(Dossier.objects.get()) is None


def test_authors_are_warned_once_a_week_before(aide, auteur, django_capture_on_commit_callbacks):
    aide.brouillon_duree = 30
    aide.save()
    bientot, loin, perime = (
        brouillon(aide, auteur),
        brouillon(aide, auteur),
        brouillon(aide, auteur),
    )
    _vieillir(bientot, 24)
    _vieillir(loin, 10)
    _vieillir(perime, 31)  # deleted without a warning for a past date

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.brouillons_entretenir() == {"prevenus": 1, "supprimes": 1}
        tasks.brouillons_entretenir()

    messages = Message.objects.filter(evenement="dossier.brouillon_expire_bientot")
    assert messages.count() == 1
    assert "sera supprimé le" in messages.get().corps
    assert messages.get().destinataire == auteur.email


def test_the_draft_limit_counts_the_authors_drafts_of_the_dispositif(aide, auteur, ami):
    aide.brouillons_max = 2
    aide.save()
    brouillon(aide, auteur)
    brouillon(aide, auteur)
    brouillon(aide, ami)  # another author's draft does not count

    with pytest.raises(services_edition.BrouillonsMaxAtteint) as refus:
        services_edition.brouillon_verifier_limite(dossier=commencer(aide, auteur), user=auteur)
    assert "2 brouillon(s)" in refus.value.messages[0]
    # Saving an existing draft again is not a new one; 0 means no limit.
    existant = Dossier.objects.filter(cree_par=auteur).first()
    services_edition.brouillon_verifier_limite(dossier=existant, user=auteur)
    aide.brouillons_max = 0
    aide.save()
    services_edition.brouillon_verifier_limite(dossier=commencer(aide, auteur), user=auteur)


def test_only_the_author_deletes_a_draft(aide, auteur, ami):
    dossier = brouillon(aide, auteur)
    with pytest.raises(ValidationError):
        services_edition.brouillon_supprimer(dossier=dossier, user=ami)
    services_edition.brouillon_supprimer(dossier=dossier, user=auteur)
    assert not Dossier.objects.exists()


# Co-editors ------------------------------------------------------------------------------


def test_an_invited_coeditor_reaches_the_draft_once_accepted(
    aide, auteur, ami, django_capture_on_commit_callbacks
):
    dossier = brouillon(aide, auteur)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services_edition.invitation_creer(
            dossier=dossier, email="VOISIN@exemple.fr", by=auteur, lien=LIEN
        )
    mail = Message.objects.get(evenement="dossier.coediteur_invite")
    assert mail.destinataire == "voisin@exemple.fr" and invitation.token in mail.corps
    assert not dossiers_of(ami).exists()

    services_edition.invitation_accepter(token=invitation.token, user=ami)

    assert list(dossiers_of(ami)) == [dossier]
    assert list(brouillons_de(ami)) == [dossier]
    invitation.refresh_from_db()
    assert invitation.statut == StatutJeton.ACCEPTE and invitation.accepte_par == ami
    with pytest.raises(ValidationError):  # single use
        services_edition.invitation_accepter(token=invitation.token, user=ami)


def test_dossiers_of_has_no_duplicates_with_several_coeditors(aide, auteur, ami):
    dossier = depose(aide, auteur)
    CoEditeur.objects.create(dossier=dossier, user=ami)
    CoEditeur.objects.create(dossier=dossier, user=UserFactory())
    assert dossiers_of(auteur).count() == 1
    assert dossiers_of(ami).count() == 1


def test_an_invitation_is_refused_to_another_address_after_expiry_and_to_non_authors(
    aide, auteur, ami
):
    dossier = brouillon(aide, auteur)
    with pytest.raises(ValidationError):
        services_edition.invitation_creer(dossier=dossier, email="x@exemple.fr", by=ami, lien=LIEN)
    with pytest.raises(ValidationError) as soi:
        services_edition.invitation_creer(dossier=dossier, email=auteur.email, by=auteur, lien=LIEN)
    assert "email" in soi.value.message_dict
    invitation = services_edition.invitation_creer(
        dossier=dossier, email="autre@exemple.fr", by=auteur, lien=LIEN
    )
    with pytest.raises(ValidationError) as deja:
        services_edition.invitation_creer(
            dossier=dossier, email="autre@exemple.fr", by=auteur, lien=LIEN
        )
    assert "attend déjà" in deja.value.message_dict["email"][0]
    with pytest.raises(ValidationError) as mauvais:
        services_edition.invitation_accepter(token=invitation.token, user=ami)
    assert "autre@exemple.fr" in mauvais.value.messages[0]

    invitation.expire_le = timezone.now() - dt.timedelta(minutes=1)
    invitation.save()
    assert services_edition.jetons_expirer() == 1
    invitation.refresh_from_db()
    assert invitation.statut == StatutJeton.EXPIRE


def test_the_author_removes_a_coeditor_and_revokes_an_invitation(aide, auteur, ami):
    dossier = brouillon(aide, auteur)
    invitation = services_edition.invitation_creer(
        dossier=dossier, email=ami.email, by=auteur, lien=LIEN
    )
    coediteur = services_edition.invitation_accepter(token=invitation.token, user=ami)
    services_edition.coediteur_retirer(coediteur=coediteur, by=auteur)
    assert not dossiers_of(ami).exists()
    autre = services_edition.invitation_creer(
        dossier=dossier, email="autre@exemple.fr", by=auteur, lien=LIEN
    )
    services_edition.invitation_revoquer(invitation=autre, by=auteur)
    autre.refresh_from_db()
    assert autre.statut == StatutJeton.REVOQUE
    assert Historique.objects.filter(dossier=dossier, nature="partage").count() == 4


# Transfer ----------------------------------------------------------------------------------


def test_a_transfer_accepted_makes_the_recipient_the_author(
    aide, auteur, ami, django_capture_on_commit_callbacks
):
    dossier = depose(aide, auteur)
    assert dossier.demandeur_individu == auteur.individu
    transfert = services_edition.transfert_proposer(
        dossier=dossier, email=ami.email, by=auteur, lien=LIEN
    )

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_edition.transfert_accepter(
            token=transfert.token,
            user=ami,
            mes_demandes="https://guichet.test/mon-compte/demandes/",
        )

    dossier.refresh_from_db()
    assert dossier.cree_par == ami and dossier.demandeur_individu == ami.individu
    # The sender is told who took it, since it leaves their space.
    (avis,) = mail.outbox
    assert avis.to == [auteur.email]
    assert f"{ami.first_name} {ami.last_name}" in avis.subject
    assert "https://guichet.test/mon-compte/demandes/" in avis.body
    assert list(dossiers_of(ami)) == [dossier]
    assert not dossiers_of(auteur).exists()
    assert Historique.objects.filter(dossier=dossier, nature="transfert").count() == 2
    with pytest.raises(ValidationError):
        services_edition.transfert_accepter(token=transfert.token, user=ami)


def test_a_transfer_needs_the_matching_address_and_expires(aide, auteur, ami):
    dossier = depose(aide, auteur)
    transfert = services_edition.transfert_proposer(
        dossier=dossier, email="quelquun@exemple.fr", by=auteur, lien=LIEN
    )
    with pytest.raises(ValidationError) as refus:
        services_edition.transfert_accepter(token=transfert.token, user=ami)
    assert "quelquun@exemple.fr" in refus.value.messages[0]
    with pytest.raises(ValidationError):  # one pending at a time
        services_edition.transfert_proposer(dossier=dossier, email=ami.email, by=auteur, lien=LIEN)

    transfert.expire_le = timezone.now() - dt.timedelta(seconds=1)
    transfert.save()
    tasks.jetons_expirer()
    transfert.refresh_from_db()
    assert transfert.statut == StatutJeton.EXPIRE
    dossier.refresh_from_db()
    assert dossier.cree_par == auteur


def test_the_sender_cancels_a_transfer(aide, auteur, ami):
    dossier = depose(aide, auteur)
    transfert = services_edition.transfert_proposer(
        dossier=dossier, email=ami.email, by=auteur, lien=LIEN
    )
    services_edition.transfert_annuler(transfert=transfert, by=auteur)
    with pytest.raises(ValidationError):
        services_edition.transfert_accepter(token=transfert.token, user=ami)


# On behalf ---------------------------------------------------------------------------------


def test_on_behalf_creates_the_person_and_prefills_from_them(aide, auteur):
    saisie = {"nom": "Durand", "prenom": "Louise", "date_naissance": dt.date(1940, 5, 1)}
    tiers = services_edition.tiers_enregistrer(by=auteur, **saisie)
    dossier = services_edition.dossier_commencer_pour_autrui(
        dispositif=aide, user=auteur, tiers=tiers, saisie=saisie
    )
    assert dossier.donnees == {"nom": "Durand", "prenom": "Louise"}
    assert dossier.pour_autrui and dossier.demandeur_individu == tiers
    assert dossier.cree_par == auteur
    dossier.donnees["motif"] = "Chauffage"
    from dossiers import services

    services.dossier_deposer(dossier=dossier, user=auteur)
    dossier.refresh_from_db()
    assert dossier.demandeur_individu == tiers and dossier.pour_autrui


def test_on_behalf_reuses_only_an_unambiguous_match(auteur):
    saisie = {"nom": "durand", "prenom": "LOUISE", "date_naissance": dt.date(1940, 5, 1)}
    connue = Individu.objects.create(nom="Durand", prenom="Louise", date_naissance="1940-05-01")
    assert services_edition.tiers_enregistrer(by=auteur, **saisie) == connue
    Individu.objects.create(nom="Durand", prenom="Louise", date_naissance="1940-05-01")
    nouvelle = services_edition.tiers_enregistrer(by=auteur, **saisie)
    assert (
        nouvelle.pk not in {connue.pk}
        and Individu.objects.filter(nom__iexact="durand").count() == 3
    )


# Modification after filing (F10) ---------------------------------------------------------


def test_a_modification_keeps_the_reference_and_logs_the_fields(aide, auteur):
    dossier = depose(aide, auteur)
    reference = dossier.reference
    changes = services_edition.dossier_modifier(
        dossier=dossier, donnees={**dossier.donnees, "motif": "Facture d’eau"}, user=auteur
    )
    assert changes == ["motif"]
    dossier.refresh_from_db()
    assert dossier.reference == reference and dossier.donnees["motif"] == "Facture d’eau"
    assert dossier.modifications_usager == 1 and dossier.modifie_par_usager_le
    ligne = Historique.objects.get(dossier=dossier, nature="modification")
    assert ligne.details["champs"] == ["motif"] and ligne.visible_usager
    # Nothing changed: nothing counted.
    assert (
        services_edition.dossier_modifier(dossier=dossier, donnees=dossier.donnees, user=auteur)
        == []
    )
    dossier.refresh_from_db()
    assert dossier.modifications_usager == 1


def test_a_modification_is_validated_again(aide, auteur):
    dossier = depose(aide, auteur)
    with pytest.raises(services_edition.ModificationRefusee) as refus:
        services_edition.dossier_modifier(
            dossier=dossier, donnees={**dossier.donnees, "motif": ""}, user=auteur
        )
    assert refus.value.etape == 1 and "motif" in refus.value.erreurs
    dossier.refresh_from_db()
    assert dossier.donnees["motif"] == "Loyer" and dossier.modifications_usager == 0


def test_no_modification_once_an_agent_is_assigned(aide, auteur, agent):
    dossier = depose(aide, auteur)
    assert suivi.usager_peut_modifier(dossier)
    Dossier.objects.filter(pk=dossier.pk).update(agent=agent)
    dossier.refresh_from_db()
    assert not suivi.usager_peut_modifier(dossier)
    with pytest.raises(ValidationError):
        services_edition.dossier_modifier(
            dossier=dossier, donnees={**dossier.donnees, "motif": "Autre"}, user=auteur
        )


def test_the_threshold_flags_the_dossier_and_applies_the_status(aide, auteur, monkeypatch):
    aide.modifications_seuil = 2
    aide.modifications_statut = "a_verifier"
    aide.save()
    dossier = depose(aide, auteur)
    services_edition.dossier_modifier(
        dossier=dossier, donnees={**dossier.donnees, "motif": "Un"}, user=auteur
    )
    dossier.refresh_from_db()
    assert not dossier.signale

    appliques = []

    class Guide:
        def etats(self, dossiers, *, usager):
            return {}

        def ligne_de_vie(self, dossier, *, usager):
            return None

        def appliquer_statut(self, dossier, code):
            appliques.append((dossier.pk, code))
            return True

    monkeypatch.setattr(suivi, "_fournisseurs", [Guide()])
    services_edition.dossier_modifier(
        dossier=dossier, donnees={**dossier.donnees, "motif": "Deux"}, user=auteur
    )
    dossier.refresh_from_db()
    assert dossier.signale and dossier.modifications_usager == 2
    assert appliques == [(dossier.pk, "a_verifier")]
    ligne = Historique.objects.filter(dossier=dossier, nature="statut").get()
    assert ligne.details == {"seuil": 2, "statut": "a_verifier", "applique": True}


def test_without_a_provider_the_threshold_keeps_the_flag_and_history(aide, auteur):
    aide.modifications_seuil = 1
    aide.modifications_statut = "a_verifier"
    aide.save()
    dossier = depose(aide, auteur)
    services_edition.dossier_modifier(
        dossier=dossier, donnees={**dossier.donnees, "motif": "Un"}, user=auteur
    )
    dossier.refresh_from_db()
    assert dossier.signale
    ligne = Historique.objects.get(dossier=dossier, nature="statut")
    assert ligne.details["applique"] is False and "a_verifier" in ligne.libelle


def test_the_crm_sheet_edits_the_settings_and_an_emptied_one_keeps_its_value(aide):
    from django.forms.models import model_to_dict

    from crm.formulaires.forms import DispositifForm

    data = {k: v for k, v in model_to_dict(aide).items() if v is not None}
    data.update(
        thematiques=[],
        types_profil=[],
        brouillon_duree="",
        brouillons_max="5",
        modifications_seuil="3",
        modifications_statut="a_verifier",
    )
    data.pop("illustration", None)
    form = DispositifForm(data, instance=aide)
    assert form.is_valid(), form.errors
    dispositif = form.save()
    assert dispositif.brouillon_duree == 90 and dispositif.brouillons_max == 5
    assert dispositif.modifications_seuil == 3 and dispositif.modifications_statut == "a_verifier"
