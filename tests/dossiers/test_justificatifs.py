"""Justificatifs (P12, F9): expected pieces at deposit, the citizen's uploads and reuse,
the agent's decisions with history and notification, expiry, « Mon compte » to-do."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.extensions import a_faire
from dossiers import services_justificatifs as services
from dossiers.models import Historique, Justificatif, RegleTypeJustificatif
from dossiers.selectors_justificatifs import justificatifs_manquants
from notifications import services as notifications
from notifications.models import Canal, Correspondance, Message, ModeleMessage
from tests.common import fichiers
from tests.dossiers.justificatifs import dossier_depose
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db
Statut = Justificatif.Statut


def upload(contenu=None, nom="domicile.pdf"):
    return SimpleUploadedFile(nom, fichiers.pdf() if contenu is None else contenu)


@pytest.fixture
def dossier(citizen):
    return dossier_depose(citizen)


def piece(dossier, code="domicile") -> Justificatif:
    return dossier.justificatifs.select_related("type", "dossier").get(type__code=code)


def test_deposit_creates_the_expected_pieces_from_the_sheet(dossier):
    pieces = {j.type.code: j for j in dossier.justificatifs.select_related("type")}
    assert set(pieces) == {"domicile", "rib"}  # the piece without a type expects nothing
    assert pieces["domicile"].obligatoire and not pieces["rib"].obligatoire
    assert {j.statut for j in pieces.values()} == {Statut.ATTENDU}
    # Called again (a replayed deposit), nothing is doubled.
    assert services.justificatifs_attendus(dossier) == []


def test_a_version_is_checked_stored_privately_and_the_piece_is_received(dossier, citizen):
    justificatif = piece(dossier)
    version = services.version_deposer(
        justificatif=justificatif,
        upload=upload(nom="../mon domicile.pdf"),
        user=citizen,
        commentaire=" Facture EDF ",
    )
    justificatif.refresh_from_db()
    assert justificatif.statut == Statut.RECU and justificatif.recu_le
    assert version.nom == "mon domicile.pdf" and version.type_mime == "application/pdf"
    assert version.fichier.name.startswith("prive/justificatifs/")
    assert "domicile" not in version.fichier.name  # never the citizen's name in storage
    assert version.commentaire_usager == "Facture EDF" and version.depose_par == citizen
    ligne = Historique.objects.get(dossier=dossier, nature=Historique.Nature.JUSTIFICATIF)
    assert ligne.visible_usager and "déposé" in ligne.libelle


def test_a_refused_upload_says_why_on_the_file_field(dossier, citizen):
    justificatif = piece(dossier, "rib")  # PDF only
    with pytest.raises(ValidationError) as error:
        services.version_deposer(
            justificatif=justificatif, upload=upload(fichiers.image("PNG"), "rib.png"), user=citizen
        )
    assert "Formats acceptés : PDF" in error.value.message_dict["fichier"][0]
    justificatif.refresh_from_db()
    assert justificatif.statut == Statut.ATTENDU and not justificatif.versions.exists()


def test_the_profile_type_rule_overrides_formats_and_size(citizen):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    profil = ProfilFactory()
    MembreFactory(individu=citizen.individu, profil=profil, role=role("responsable"))
    dossier = dossier_depose(citizen, profil=profil)
    justificatif = piece(dossier, "rib")
    RegleTypeJustificatif.objects.create(
        type_justificatif=justificatif.type,
        type_profil=profil.type_profil,
        formats=["png"],
        taille_max=50,
    )
    with pytest.raises(ValidationError, match="limite"):
        services.version_deposer(
            justificatif=justificatif,
            upload=upload(fichiers.image("PNG"), "rib.png"),
            user=citizen,
        )


def test_refusal_needs_a_comment_writes_history_and_mails_the_citizen(
    dossier, citizen, instructeur, django_capture_on_commit_callbacks
):
    modele = ModeleMessage.objects.create(
        nom="Pièce refusée",
        canal=Canal.EMAIL,
        evenement="dossier.justificatif_refuse",
        sujet="Pièce refusée : {{ justificatif.libelle }}",
        corps="Dossier {{ dossier.reference }} : {{ justificatif.commentaire }}\n{{ lien }}",
    )
    assert notifications.modele_publier(modele) == []
    Correspondance.objects.create(evenement="dossier.justificatif_refuse", modele=modele)
    justificatif = piece(dossier)
    services.version_deposer(justificatif=justificatif, upload=upload(), user=citizen)
    with pytest.raises(ValidationError) as error:
        services.justificatif_refuser(justificatif=justificatif, agent=instructeur, commentaire=" ")
    assert "commentaire" in error.value.message_dict
    with django_capture_on_commit_callbacks(execute=False):
        services.justificatif_refuser(
            justificatif=justificatif, agent=instructeur, commentaire="Document illisible."
        )
    justificatif.refresh_from_db()
    assert justificatif.statut == Statut.REFUSE and justificatif.decide_par == instructeur
    assert justificatif.commentaire_agent == "Document illisible."
    ligne = Historique.objects.filter(dossier=dossier).order_by("-pk").first()
    assert ligne.visible_usager and "Document illisible." in ligne.libelle
    message = Message.objects.get(evenement="dossier.justificatif_refuse")
    assert message.destinataire == citizen.email
    assert "Document illisible." in message.corps
    assert f"/mon-compte/demandes/{dossier.pk}/justificatifs/" in message.corps


def test_reupload_after_refusal_then_validation_sets_the_validity(dossier, citizen, instructeur):
    justificatif = piece(dossier)
    services.version_deposer(justificatif=justificatif, upload=upload(), user=citizen)
    services.justificatif_refuser(justificatif=justificatif, agent=instructeur, commentaire="Flou")
    services.version_deposer(
        justificatif=justificatif, upload=upload(), user=citizen, commentaire="Plus net"
    )
    services.justificatif_valider(justificatif=justificatif, agent=instructeur)
    justificatif.refresh_from_db()
    assert justificatif.statut == Statut.VALIDE
    assert justificatif.expire_le == timezone.localdate() + datetime.timedelta(days=90)
    assert justificatif.versions.count() == 2  # every version kept
    with pytest.raises(ValidationError):  # validated: no more uploads
        services.version_deposer(justificatif=justificatif, upload=upload(), user=citizen)


def test_only_a_received_piece_is_validated(dossier, instructeur):
    with pytest.raises(ValidationError):
        services.justificatif_valider(justificatif=piece(dossier), agent=instructeur)


def test_the_daily_task_expires_validated_pieces_past_their_validity(dossier, citizen, instructeur):
    from dossiers.tasks import justificatifs_perimer

    justificatif = piece(dossier)
    services.version_deposer(justificatif=justificatif, upload=upload(), user=citizen)
    services.justificatif_valider(justificatif=justificatif, agent=instructeur)
    assert justificatifs_perimer() == 0
    Justificatif.objects.filter(pk=justificatif.pk).update(
        expire_le=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert justificatifs_perimer() == 1
    assert justificatifs_perimer() == 0  # idempotent
    justificatif.refresh_from_db()
    assert justificatif.statut == Statut.PERIME
    assert Historique.objects.filter(dossier=dossier, libelle__contains="fin de validité").exists()
    # Périmé: the citizen provides a new one.
    services.version_deposer(justificatif=justificatif, upload=upload(), user=citizen)


def test_an_agent_expires_and_requests_another_piece(dossier, citizen, instructeur):
    justificatif = piece(dossier)
    services.version_deposer(justificatif=justificatif, upload=upload(), user=citizen)
    services.justificatif_expirer(
        justificatif=justificatif, agent=instructeur, commentaire="Ancien"
    )
    justificatif.refresh_from_db()
    assert justificatif.statut == Statut.PERIME
    autre = services.justificatif_demander(
        dossier=dossier,
        type_justificatif=piece(dossier, "rib").type,
        agent=instructeur,
        commentaire="Un second RIB",
    )
    assert autre.statut == Statut.ATTENDU and autre.obligatoire


def test_a_profil_document_is_reused_without_copying_the_file(citizen, instructeur):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    profil = ProfilFactory()
    MembreFactory(individu=citizen.individu, profil=profil, role=role("responsable"))
    dossier = dossier_depose(citizen, profil=profil)
    justificatif = piece(dossier)
    type_ = justificatif.type
    source = services.profil_document_deposer(
        profil=profil, type_justificatif=type_, upload=upload(), user=citizen
    )
    offertes = services.reutilisables(justificatif)
    assert [v.pk for v in offertes] == [source.pk]
    version = services.version_reutiliser(justificatif=justificatif, source=source, user=citizen)
    assert version.fichier.name == source.fichier.name and version.reprise_de == source
    justificatif.refresh_from_db()
    assert justificatif.statut == Statut.RECU
    # An expired document of the profil is not offered.
    Justificatif.objects.filter(pk=source.justificatif_id).update(
        statut=Statut.VALIDE, expire_le=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert services.reutilisables(justificatif) == []
    # Nor a document of another profil.
    with pytest.raises(ValidationError):
        services.version_reutiliser(justificatif=justificatif, source=source, user=citizen)


def test_mon_compte_lists_missing_mandatory_pieces_only(
    dossier, citizen, other_citizen, django_assert_max_num_queries
):
    dossier_depose(citizen)
    with django_assert_max_num_queries(1):
        manquants = list(justificatifs_manquants(citizen))
    assert [j.type.code for j in manquants] == ["domicile", "domicile"]  # not the optional RIB
    items = [item for item in a_faire(citizen) if item.categorie == "justificatifs"]
    assert items[0].libelle == "Fournir « Justificatif de domicile »"
    assert items[0].url == f"/mon-compte/demandes/{dossier.pk}/justificatifs/"
    assert list(justificatifs_manquants(other_citizen)) == []
    services.version_deposer(justificatif=piece(dossier), upload=upload(), user=citizen)
    assert len(list(justificatifs_manquants(citizen))) == 1


def test_document_fields_of_the_form_are_expected_unless_hidden(citizen):
    from dossiers import services as dossiers_services
    from dossiers.models import Champ, Ligne, Onglet, ProprietesVue, Vue
    from tests.dossiers.factories import DispositifFactory, TypeJustificatifFactory

    TypeJustificatifFactory(code="avis-imposition", libelle="Avis d’imposition")
    TypeJustificatifFactory(code="piece-identite", libelle="Pièce d’identité")
    TypeJustificatifFactory(code="assurance", libelle="Attestation d’assurance")
    dispositif = DispositifFactory()
    modele = dossiers_services.modele_brouillon(dispositif=dispositif)
    ligne = Ligne.objects.create(onglet=Onglet.objects.create(modele=modele, titre="Pièces"))
    Champ.objects.create(ligne=ligne, nom="nom", libelle="Nom", type="texte")
    avis = Champ.objects.create(
        ligne=ligne,
        nom="avis",
        libelle="Votre avis d’imposition",
        type="piece_justificative",
        options={"type_document": "avis-imposition"},
    )
    ProprietesVue.objects.update_or_create(
        champ=avis, vue=Vue.INTERNET, defaults={"obligatoire": True}
    )
    Champ.objects.create(
        ligne=ligne,
        nom="identite",
        libelle="Pièce d’identité",
        type="piece_identite",
        options={"documents": ["cni"]},
    )
    Champ.objects.create(
        ligne=ligne,
        nom="assurance",
        libelle="Assurance",
        type="piece_justificative",
        options={"type_document": "assurance"},
        condition={"champ": "nom", "op": "=", "valeur": "X"},
    )
    dossiers_services.modele_publier(modele=modele, by=None)
    dossier = dossiers_services.dossier_commencer(dispositif=dispositif, user=citizen)
    dossier.donnees = {"nom": "Martin"}
    dossier = dossiers_services.dossier_deposer(dossier=dossier, user=citizen)
    attendus = {j.type.code: j for j in dossier.justificatifs.select_related("type")}
    assert set(attendus) == {"avis-imposition", "piece-identite"}  # not the hidden one
    assert attendus["avis-imposition"].nom == "Votre avis d’imposition"
    # Mandatory as the portal's view says: only those are « waiting » in Mon compte (P9).
    assert attendus["avis-imposition"].obligatoire
    assert not attendus["piece-identite"].obligatoire


def test_a_file_whose_upload_rolled_back_is_swept_once_old(dossier, citizen):
    from django.db import transaction

    from dossiers.tasks import justificatifs_fichiers_orphelins

    gardee = services.version_deposer(justificatif=piece(dossier), upload=upload(), user=citizen)
    with pytest.raises(RuntimeError), transaction.atomic():
        perdue = services.version_deposer(
            justificatif=piece(dossier, "rib"), upload=upload(), user=citizen
        )
        raise RuntimeError
    stockage = gardee.fichier.storage
    assert stockage.exists(perdue.fichier.name)
    justificatifs_fichiers_orphelins()  # too young: may not be committed yet
    assert stockage.exists(perdue.fichier.name)
    supprimes = services.fichiers_orphelins_supprimer(anciennete=datetime.timedelta(0))
    assert perdue.fichier.name in supprimes and not stockage.exists(perdue.fichier.name)
    assert gardee.fichier.name not in supprimes and stockage.exists(gardee.fichier.name)
