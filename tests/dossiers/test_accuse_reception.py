"""After submission (P8): the acknowledgement mail with its PDF receipt, from built-in
templates installed at first need (then edited in the CRM), once per dossier."""

import pytest
from django.core import mail

from dossiers import services as dossiers_services
from dossiers.services_suivi_usager import (
    EVENEMENT_DEPOSE,
    MODELE_ACCUSE,
    accuse_reception_envoyer,
    modeles_par_defaut_installer,
    recu_existant,
)
from editique.models import DocumentGenere, ModeleDocument
from notifications import services as notifications_services
from notifications.models import Correspondance, Message, ModeleMessage
from tests.test_access_matrix import _dispositif_publie

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.GUICHET_ACCUSE_RECEPTION = True


def _deposer(user):
    dossier = dossiers_services.dossier_commencer(
        dispositif=_dispositif_publie(), user=user, profil=None
    )
    dossier.donnees = {"nom": "Martin"}
    return dossiers_services.dossier_deposer(dossier=dossier, user=user)


def test_default_templates_are_installed_and_valid():
    # nothing before the first need
    assert not ModeleMessage.objects.filter(evenement=EVENEMENT_DEPOSE).exists()
    modeles_par_defaut_installer()
    modeles_par_defaut_installer()
    document = ModeleDocument.objects.get(code=MODELE_ACCUSE)
    assert document.deposer_usager and document.versions.count() == 1
    correspondance = Correspondance.objects.get(evenement=EVENEMENT_DEPOSE)
    modele = correspondance.modele
    assert modele.joindre_documents and modele.est_publie
    # The mail uses only the event's variables, the document only the dossier's.
    assert not notifications_services.modele_problemes(
        canal=modele.canal, evenement=EVENEMENT_DEPOSE, sujet=modele.sujet, corps=modele.corps
    )
    from editique import services as editique_services

    assert not editique_services.problemes(document)


def test_deposit_sends_the_acknowledgement_with_its_pdf_receipt(
    citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _deposer(citizen)
    [courriel] = mail.outbox
    assert courriel.to == [citizen.email]
    assert dossier.reference in courriel.subject
    assert f"/mon-compte/demandes/{dossier.pk}/" in courriel.body
    [(nom, contenu, type_mime)] = courriel.attachments
    assert contenu.startswith(b"%PDF") and type_mime == "application/pdf"
    assert nom.endswith(".pdf")
    # The receipt is deposited in the citizen's space (the dossier's Documents tab)
    # and the history says so.
    recu = recu_existant(dossier)
    assert recu.depose_usager
    assert dossier.historique.filter(visible_usager=True, nature="document").exists()


def test_acknowledgement_is_sent_once(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _deposer(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        accuse_reception_envoyer(dossier.pk)  # a replayed task
    assert len(mail.outbox) == 1
    assert DocumentGenere.objects.filter(objet_id=dossier.pk).count() == 1
    assert Message.objects.filter(evenement=EVENEMENT_DEPOSE).count() == 1


def test_without_receipt_template_the_mail_still_leaves(
    citizen, django_capture_on_commit_callbacks
):
    modeles_par_defaut_installer()
    ModeleDocument.objects.filter(code=MODELE_ACCUSE).update(actif=False)
    with django_capture_on_commit_callbacks(execute=True):
        _deposer(citizen)
    [courriel] = mail.outbox
    assert courriel.attachments == []


def test_mapping_switched_off_sends_nothing(citizen, django_capture_on_commit_callbacks):
    modeles_par_defaut_installer()
    Correspondance.objects.filter(evenement=EVENEMENT_DEPOSE).update(actif=False)
    with django_capture_on_commit_callbacks(execute=True):
        _deposer(citizen)
    assert mail.outbox == []


def test_edited_mail_template_is_used(citizen, django_capture_on_commit_callbacks):
    modeles_par_defaut_installer()
    modele = ModeleMessage.objects.get(evenement=EVENEMENT_DEPOSE)
    modele.sujet = "Reçu : {{ dossier.dispositif }}"
    notifications_services.modele_publier(modele)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _deposer(citizen)
    assert mail.outbox[0].subject == f"Reçu : {dossier.dispositif.titre}"


def test_switched_off_by_the_setting(citizen, settings, django_capture_on_commit_callbacks):
    settings.GUICHET_ACCUSE_RECEPTION = False
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _deposer(citizen)
    assert mail.outbox == [] and recu_existant(dossier) is None
