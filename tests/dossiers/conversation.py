"""Builders for the conversation's tests (P11): a filed dossier of a citizen (or of a
profil), its conversation opened by an agent, sample attachments."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dossiers import services as dossiers_services
from dossiers import services_conversation as conversation
from dossiers.models import Champ, Ligne, MessageDossier, Onglet
from tests.dossiers.factories import PDF, DispositifFactory


def dossier_depose(user=None, *, profil=None, titre="Subvention aux associations"):
    dispositif = DispositifFactory(titre=titre)
    modele = dossiers_services.modele_brouillon(dispositif=dispositif)
    onglet = Onglet.objects.create(modele=modele, titre="Demande")
    ligne = Ligne.objects.create(onglet=onglet)
    Champ.objects.create(ligne=ligne, nom="objet", libelle="Objet", type="texte")
    dossiers_services.modele_publier(modele=modele, by=None)
    dossier = dossiers_services.dossier_commencer(dispositif=dispositif, user=user, profil=profil)
    dossier.donnees = {"objet": "Fête du quartier"}
    return dossiers_services.dossier_deposer(dossier=dossier, user=user)


def pdf(nom="budget.pdf"):
    return SimpleUploadedFile(nom, PDF, content_type="application/pdf")


def png(nom="photo.png"):
    tampon = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(tampon, "PNG")
    return SimpleUploadedFile(nom, tampon.getvalue(), content_type="image/png")


def conversation_avec(dossier, agent, *, n=1, texte="Pouvez-vous préciser le budget ?"):
    """The conversation opened by `agent`, with `n` messages of theirs."""
    conversation.conversation_ouvrir(dossier, agent)
    return [
        conversation.message_poster(
            dossier=dossier, auteur=agent, cote=MessageDossier.Cote.AGENT, texte=f"{texte} {i}"
        )
        for i in range(n)
    ]
