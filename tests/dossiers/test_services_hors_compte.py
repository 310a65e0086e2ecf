"""Filing without an account (P6, F14): codes, fingerprints, individus, link, attach."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from dossiers import services_hors_compte as hc
from dossiers.models import Dossier, Historique, TentativeSuivi, VerificationSuivi
from notifications.models import Message
from tests.accounts.factories import UserFactory
from tests.dossiers.hors_compte import deposer, dispositif_sans_compte
from tests.usagers.factories import IndividuFactory
from usagers.models import Individu
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispositif():
    return dispositif_sans_compte()


def test_filing_gives_a_code_a_key_and_keeps_only_fingerprints(
    dispositif, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        depot = deposer(dispositif)
    dossier = Dossier.objects.get(pk=depot.dossier.pk)
    assert dossier.statut == Dossier.Statut.DEPOSE and dossier.reference
    assert dossier.cree_par is None
    assert dossier.email_suivi == "jeanne@exemple.fr"
    assert hc.code_normaliser(dossier.code_suivi) == dossier.code_suivi
    assert len(dossier.code_suivi) == 11 and dossier.code_suivi[5] == "-"
    assert not set(dossier.code_suivi.replace("-", "")) & set("01OIL")
    # Never the plain values.
    assert "1985" not in dossier.verification_suivi
    assert depot.cle_rattachement.replace("-", "") not in dossier.cle_rattachement
    assert len(depot.cle_rattachement) == 19
    # A new individu of the référentiel, named from the form's prefilled fields.
    individu = dossier.demandeur_individu
    assert (individu.nom, individu.prenom, individu.email) == (
        "Durand",
        "Jeanne",
        "jeanne@exemple.fr",
    )
    assert individu.user is None
    # The mail, through the outbox, with the link, the code and the key.
    message = Message.objects.get(evenement="dossier.depose_sans_compte")
    assert message.destinataire == "jeanne@exemple.fr"
    assert dossier.reference in message.sujet
    assert dossier.code_suivi in message.corps and depot.cle_rattachement in message.corps
    assert "http://testserver/suivi/" in message.corps and "date de naissance" in message.corps


def test_codes_are_unique(dispositif):
    codes = {deposer(dispositif, email=f"p{i}@exemple.fr").code_suivi for i in range(5)}
    assert len(codes) == 5


def test_code_normalisation():
    assert hc.code_normaliser(" k7qpm 3xhta ") == "K7QPM-3XHTA"
    assert hc.code_normaliser("K7QPM-3XHT") is None  # too short
    assert hc.code_normaliser("K7QPM-3XHT0") is None  # 0 is not in the alphabet
    assert hc.code_normaliser("") is None


def test_verification_normalisation():
    nature = VerificationSuivi.DATE_NAISSANCE
    assert hc.verification_normaliser(nature, "14/07/1985") == "1985-07-14"
    assert hc.verification_normaliser(nature, datetime.date(1985, 7, 14)) == "1985-07-14"
    assert hc.verification_normaliser(nature, "1985-07-14") == "1985-07-14"
    assert hc.verification_normaliser(nature, "31/02/1985") is None
    postal = VerificationSuivi.CODE_POSTAL
    assert hc.verification_normaliser(postal, " 45 000 ") == "45000"
    assert hc.verification_normaliser(postal, "4500") is None
    assert hc.verification_normaliser(postal, "ABCDE") is None


def test_a_wrong_verification_value_is_refused_before_filing(dispositif):
    with pytest.raises(ValidationError):
        deposer(dispositif, verification="pas une date")
    assert not Dossier.objects.exists()


def test_tracking_code_and_verification(dispositif):
    depot = deposer(dispositif)
    code = depot.code_suivi.lower().replace("-", " ")
    assert hc.suivi_verifier(code, "14/07/1985") == depot.dossier
    assert hc.suivi_verifier(code, "15/07/1985") is None
    assert hc.suivi_verifier("AAAAA-AAAAA", "14/07/1985") is None
    assert hc.suivi_verifier("", "14/07/1985") is None
    assert hc.suivi_verifier(code, "") is None


def test_postcode_verification():
    depot = deposer(
        dispositif_sans_compte(verification=VerificationSuivi.CODE_POSTAL), verification="45000"
    )
    assert hc.suivi_verifier(depot.code_suivi, "45 000") == depot.dossier
    assert hc.suivi_verifier(depot.code_suivi, "45001") is None


def test_a_known_email_attaches_to_the_existing_individu(dispositif):
    connu = IndividuFactory(email="Jeanne@Exemple.fr", nom="Durand-Connue")
    depot = deposer(dispositif)
    assert depot.dossier.demandeur_individu == connu
    assert Individu.objects.filter(email__iexact="jeanne@exemple.fr").count() == 1
    assert Historique.objects.filter(dossier=depot.dossier, libelle__contains="reconnu").exists()


def test_a_verified_account_email_gives_the_accounts_individu(dispositif):
    user = UserFactory(email="jeanne@exemple.fr")
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    individu = compte_initialiser(user=user, prenom="Jeanne", nom="Durand")
    IndividuFactory(email="jeanne@exemple.fr")  # an older contact with the same address
    assert deposer(dispositif).dossier.demandeur_individu == individu


def test_names_typed_when_the_form_has_none():
    depot = hc.depot_sans_compte(
        dossier=_commencer(dispositif_sans_compte(identite=False)),
        email="x@exemple.fr",
        verification="1990-01-02",
        nom="Petit",
        prenom="Louis",
        lien=lambda jeton: jeton,
    )
    assert (depot.dossier.demandeur_individu.nom, depot.dossier.demandeur_individu.prenom) == (
        "Petit",
        "Louis",
    )


def _commencer(dispositif):
    from dossiers import services

    dossier = services.dossier_commencer(dispositif=dispositif, user=None)
    dossier.donnees = {"motif": "Mariage"}
    return dossier


def test_follow_link(dispositif, settings):
    dossier = deposer(dispositif).dossier
    jeton = hc.lien_jeton(dossier)
    assert hc.lien_dossier(jeton) == dossier
    assert hc.lien_dossier(jeton + "x") is None
    assert hc.lien_dossier("n'importe quoi") is None
    # Another salt (another signed object of the site) is refused.
    assert (
        hc.lien_dossier(
            signing.TimestampSigner(salt="autre").sign_object(
                {"d": dossier.pk, "c": dossier.code_suivi}
            )
        )
        is None
    )
    # Expired: signed 31 days ago.
    ancien = signing.TimestampSigner(salt=hc.SEL_LIEN)
    ancien.timestamp = lambda: signing.b62_encode(
        int((timezone.now() - datetime.timedelta(days=31)).timestamp())
    )
    assert hc.lien_dossier(ancien.sign_object({"d": dossier.pk, "c": dossier.code_suivi})) is None
    settings.GUICHET_SUIVI_LIEN_JOURS = 40
    assert (
        hc.lien_dossier(ancien.sign_object({"d": dossier.pk, "c": dossier.code_suivi})) == dossier
    )


def test_attach_with_the_key(dispositif, citizen):
    depot = deposer(dispositif)
    dossier = hc.dossier_rattacher(
        user=citizen, reference=depot.dossier.reference.lower(), cle=depot.cle_rattachement.lower()
    )
    dossier.refresh_from_db()
    assert dossier.cree_par == citizen
    assert dossier.demandeur_individu == citizen.individu
    assert dossier.rattache_le is not None and dossier.cle_rattachement == ""
    assert Historique.objects.filter(
        dossier=dossier, nature=Historique.Nature.RATTACHEMENT
    ).exists()
    # The key is spent.
    with pytest.raises(hc.RattachementRefuse):
        hc.dossier_rattacher(user=citizen, reference=dossier.reference, cle=depot.cle_rattachement)


def test_attach_leaves_a_line_for_a_probable_duplicate(dispositif):
    depot = deposer(dispositif, email="jeanne@exemple.fr")
    ancien = depot.dossier.demandeur_individu
    # An account with the same address whose individu is another one (made before).
    user = UserFactory(email="jeanne@exemple.fr")
    from usagers.models import Individu as I

    individu = I.objects.create(user=user, nom="Durand", prenom="Jeanne", email="jeanne@exemple.fr")
    compte_initialiser(user=user)
    hc.dossier_rattacher(user=user, reference=depot.dossier.reference, cle=depot.cle_rattachement)
    lignes = Historique.objects.filter(dossier=depot.dossier, details__doublon=ancien.pk)
    assert lignes.count() == 1
    assert Individu.objects.filter(pk=ancien.pk).exists()  # merging is the référentiel's job
    depot.dossier.refresh_from_db()
    assert depot.dossier.demandeur_individu == individu


@pytest.mark.parametrize("cle", ["", "AAAA-AAAA-AAAA-AAAA", "trop court"])
def test_a_wrong_key_is_refused(dispositif, citizen, cle):
    depot = deposer(dispositif)
    with pytest.raises(hc.RattachementRefuse):
        hc.dossier_rattacher(user=citizen, reference=depot.dossier.reference, cle=cle)
    depot.dossier.refresh_from_db()
    assert depot.dossier.cree_par is None


def test_new_link_only_for_the_right_email_and_reference(
    dispositif, django_capture_on_commit_callbacks
):
    depot = deposer(dispositif)
    lien = lambda jeton: f"http://testserver/suivi/{jeton}/"  # noqa: E731
    assert not hc.lien_renvoyer(
        email="autre@exemple.fr", reference=depot.dossier.reference, lien=lien
    )
    assert not hc.lien_renvoyer(email="jeanne@exemple.fr", reference="2026-X-000001", lien=lien)
    assert hc.lien_renvoyer(email="JEANNE@exemple.fr", reference=depot.dossier.reference, lien=lien)
    message = Message.objects.get(evenement="dossier.lien_suivi")
    assert "http://testserver/suivi/" in message.corps
    assert depot.cle_rattachement not in message.corps


def test_rate_limit_window():
    cles = [hc.tentative_cle("ip", "10.0.0.1")]
    for _i in range(hc.LIMITE_TENTATIVES - 1):
        hc.tentative_echouee(cles)
    assert not hc.limite_atteinte(cles)
    hc.tentative_echouee(cles)
    assert hc.limite_atteinte(cles)
    assert not hc.limite_atteinte([hc.tentative_cle("ip", "10.0.0.2")])
    # Past the window, the tries no longer count, and the purge deletes them.
    TentativeSuivi.objects.update(quand=timezone.now() - hc.FENETRE - datetime.timedelta(seconds=1))
    assert not hc.limite_atteinte(cles)
    assert hc.tentatives_purger() == hc.LIMITE_TENTATIVES
    assert "10.0.0.1" not in TentativeSuivi.objects.values_list("cle", flat=True)


def test_the_tracking_address_is_offered_from_the_forms_email_field(dispositif):
    from dossiers import services
    from dossiers.models import Champ, Ligne, ModeleDossier, Onglet

    modele = services.modele_brouillon(dispositif=dispositif)
    onglet = Onglet.objects.filter(modele=modele).first()
    Champ.objects.create(
        ligne=Ligne.objects.create(onglet=onglet, ordre=5),
        nom="courriel",
        libelle="Courriel",
        type="email",
        prefill="individu.email",
    )
    services.modele_publier(modele=modele, by=None)
    dossier = services.dossier_commencer(dispositif=dispositif, user=None)
    assert dossier.modele.statut == ModeleDossier.Statut.PUBLIE
    assert hc.email_du_formulaire(dossier) == ""
    dossier.donnees = {"courriel": "a@exemple.fr"}
    assert hc.email_du_formulaire(dossier) == "a@exemple.fr"


def test_default_mails_installed_once_and_an_admins_choice_kept(dispositif):
    from dossiers.evenements_hors_compte import modeles_installer
    from notifications.models import Correspondance, ModeleMessage

    # Issue 9 — resume: beside the followers' digest template a data migration ships.
    ModeleMessage.objects.filter(evenement="dossier.suivi_resume").delete()
    assert not ModeleMessage.objects.exists()
    deposer(dispositif)
    assert ModeleMessage.objects.filter(publie_le__isnull=False).count() == 2
    assert Correspondance.objects.count() == 2
    Correspondance.objects.filter(evenement="dossier.depose_sans_compte").delete()  # unmapped
    modeles_installer()
    deposer(dispositif, email="autre@exemple.fr")
    assert ModeleMessage.objects.count() == 2
    assert not Correspondance.objects.filter(evenement="dossier.depose_sans_compte").exists()
