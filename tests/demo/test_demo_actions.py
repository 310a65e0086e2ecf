"""The demo guides' actions of every type run on the demo dossiers (issue 8, I2)."""

import pytest

from dossiers import editique as dossiers_editique
from dossiers.models import Dossier
from instruction import services
from instruction.models import ChangementStatut, Statut
from notifications.models import Canal, Message

pytestmark = pytest.mark.django_db


def _avancer(dossier, *codes, by):
    for code in codes:
        statut = Statut.objects.get(version=dossier.suivi_instruction.version, code=code)
        services.change_status(dossier=dossier, statut=statut, by=by)


def test_the_demo_actions_run_on_the_demo_dossiers(demo, django_capture_on_commit_callbacks):
    from accounts.models import User

    # « Recevable »: the acknowledgement, deposited in the citizen's space, and its SMS.
    passes = Dossier.objects.filter(changements_statut__vers__code="recevable").distinct()
    assert passes.count() >= 3
    for dossier in passes:
        titres = [d.titre for d in dossiers_editique.documents(dossier) if d.depose_usager]
        assert f"Accusé de réception — {dossier.reference}" in titres
    assert Message.objects.filter(
        canal=Canal.SMS, corps__contains="est complète", objet_id__in=[str(d.pk) for d in passes]
    ).exists()
    # « Accord sans commission » skipped on to « Accordé ».
    assert ChangementStatut.objects.filter(
        vers__code="accorde", de__code="sans_commission", motif__startswith="Étapes sautées"
    ).exists()

    # The association's grant, moved to « Accordé » by the instructeur: the arrêté is
    # produced and attached to the decision mail; the contact address reaches its profil.
    instructeur = User.objects.get(email="instructeur@demo.guichet.fr")
    dossier = Dossier.objects.get(
        dispositif__slug="subvention-associations", reference__endswith="7"
    )
    dossier.donnees = {**dossier.donnees, "email_contact": "bureau@amis-de-la-loire.fr"}
    dossier.save(update_fields=["donnees"])
    with django_capture_on_commit_callbacks(execute=True):
        _avancer(
            dossier, "recevable", "en_instruction", "avis_favorable", "accorde", by=instructeur
        )
    arrete = dossiers_editique.documents(dossier).get(modele__code="arrete-subvention")
    courriel = Message.objects.get(
        canal=Canal.EMAIL, objet_id=str(dossier.pk), sujet__contains="accordée"
    )
    assert [p["fichier"] for p in courriel.pieces_jointes] == [arrete.fichier.name]
    dossier.demandeur_profil.refresh_from_db()
    assert dossier.demandeur_profil.email == "bureau@amis-de-la-loire.fr"
