"""A mail template sent for an event carries the generated documents and files the
caller hands over (in the context or as an argument); read back from the sent mail."""

from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dossiers import editique as dossiers_editique
from editique import services as editique_services
from notifications import services
from notifications.models import Canal, Message, ModeleMessage, Statut
from tests.editique.factories import ModeleDocumentFactory, dossier_depose

pytestmark = pytest.mark.django_db

CONTEXTE = {
    "usager": {"prenom": "Léa", "nom": "Roux", "email": "lea@exemple.fr"},
    "lien_connexion": "http://x/",
}


def _modele_courriel(*, joindre: bool) -> ModeleMessage:
    modele = ModeleMessage.objects.create(
        nom=f"Bienvenue {joindre}",
        canal=Canal.EMAIL,
        evenement="compte.cree",
        sujet="Bienvenue {{ usager.prenom }}",
        corps="Bonjour {{ usager.prenom }}, vos documents sont joints.",
        joindre_documents=joindre,
    )
    assert services.modele_publier(modele) == []
    services.correspondance_enregistrer(evenement="compte.cree", modele=modele)
    return modele


def _pieces_recues(courriel) -> list[tuple[str, str, bytes]]:
    recu = message_from_bytes(courriel.message().as_bytes(), policy=policy.default)
    return [
        (p.get_filename(), p.get_content_type(), p.get_payload(decode=True))
        for p in recu.iter_attachments()
    ]


def test_the_mail_carries_the_generated_document_and_the_files_handed_over(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    _modele_courriel(joindre=True)
    dossier = dossier_depose()
    modele_document = ModeleDocumentFactory()
    editique_services.modele_publier(modele=modele_document, par=None)
    with django_capture_on_commit_callbacks(execute=True):
        document = dossiers_editique.document_generer(dossier=dossier, modele=modele_document)
        releve = default_storage.save("justificatifs/releve.csv", ContentFile(b"a;b\n1;2\n"))
        services.notifier(
            "compte.cree",
            contexte={**CONTEXTE, "pieces_jointes": [document]},
            pieces_jointes=[{"nom": "Relevé.csv", "fichier": releve}],
            email="lea@exemple.fr",
        )
    assert Message.objects.get().statut == Statut.ENVOYE
    (courriel,) = mail.outbox
    with document.fichier.open("rb") as f:
        pdf = f.read()
    assert sorted(_pieces_recues(courriel)) == sorted(
        [
            (document.nom_fichier, "application/pdf", pdf),
            ("Relevé.csv", "text/csv", b"a;b\n1;2\n"),
        ]
    )
    assert pdf.startswith(b"%PDF")


def test_a_stored_file_is_attached_under_its_name_and_guessed_type(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    _modele_courriel(joindre=True)
    dossier = dossier_depose()
    modele_document = ModeleDocumentFactory()
    editique_services.modele_publier(modele=modele_document, par=None)
    document = dossiers_editique.document_generer(
        dossier=dossier, modele=modele_document, format_="docx"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.notifier(
            "compte.cree",
            contexte={**CONTEXTE, "pieces_jointes": [document.fichier]},
            email="lea@exemple.fr",
        )
    ((nom, type_, contenu),) = _pieces_recues(mail.outbox[0])
    assert nom == document.fichier.name.rsplit("/", 1)[1]
    assert type_ == document.type_mime
    assert contenu[:2] == b"PK"  # a DOCX is a zip
    assert Message.objects.get().pieces_jointes[0]["fichier"] == document.fichier.name


def test_a_template_that_does_not_join_documents_sends_none(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    _modele_courriel(joindre=False)
    releve = default_storage.save("justificatifs/releve.csv", ContentFile(b"x"))
    with django_capture_on_commit_callbacks(execute=True):
        services.notifier(
            "compte.cree",
            contexte={**CONTEXTE, "pieces_jointes": [{"fichier": releve}]},
            email="lea@exemple.fr",
        )
    assert _pieces_recues(mail.outbox[0]) == []


def test_an_unexpected_attachment_is_refused_at_once():
    with pytest.raises(TypeError, match="Pièce jointe inattendue"):
        services.piece_jointe(b"%PDF")
