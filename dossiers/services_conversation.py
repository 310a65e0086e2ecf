"""The verbs of a dossier's conversation (P11): open, close, post, read, and the replies
that come back by mail.

Rules (they live here only; views and the mail-reply handler call these):
- Agents open and close the conversation (`conversation_ouvrir` / `conversation_fermer`,
  plain functions the instruction issue's status actions may call too). Opening creates
  the thread the citizen sees on the portal.
- The citizen (the dossier's author, the members of its demandeur profil, a follower
  without an account) writes only while the conversation is open. Agents may always
  write, also once it is closed (a last piece of information: the citizen reads it but
  cannot answer); writing never changes the open/closed state, the buttons do.
- Each message is not a line of the dossier's history: the thread is already its own
  dated, signed, immutable record, and a line per message would bury the status
  changes. Opening and closing are history lines (visible to the citizen).
- Attachments: type read from the content (PDF, JPEG/PNG/WebP, DOCX/XLSX/ODT/ODS), a size
  limit per type, the name sanitised (its extension follows the content), at most
  `PIECES_MAX` per message; checked by common.uploads.
- Each new message notifies the other side through the outbox: `dossier.message_agent` to
  the citizen, `dossier.message_usager` to the assigned agent (none assigned: no mail).
"""

from __future__ import annotations

import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from common import lignes
from common.uploads import IMAGE_FORMATS, PDF_MAGIC, validate_document, validate_image
from dossiers import selectors_conversation
from dossiers.models import (
    Conversation,
    Dossier,
    Historique,
    LectureConversation,
    MessageDossier,
    PieceJointeMessage,
)
from dossiers.models.conversation import TEXTE_MAX

logger = logging.getLogger(__name__)

PIECES_MAX = 5
MO = 1024 * 1024
# Accepted types, read from the content: (extension, size limit).
TYPES = {
    "application/pdf": ("pdf", 10 * MO),
    "image/jpeg": ("jpg", 5 * MO),
    "image/png": ("png", 5 * MO),
    "image/webp": ("webp", 5 * MO),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx", 10 * MO),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx", 10 * MO),
    "application/vnd.oasis.opendocument.text": ("odt", 10 * MO),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods", 10 * MO),
}
TYPES_ACCEPTES = "PDF, JPEG, PNG, WebP, DOCX, XLSX, ODT, ODS"


# --- Open, close -----------------------------------------------------------------------


@transaction.atomic
def conversation_ouvrir(dossier: Dossier, par=None) -> Conversation:
    """Open (or reopen) the dossier's conversation to the citizen. Already open: no-op."""
    maintenant = timezone.now()
    # get_or_create's read, savepoints and insert as one INSERT … ON CONFLICT (the
    # conversation is one per dossier); an existing one is then locked and read.
    conversation = lignes.inserer(
        Conversation(dossier=dossier, ouverte=True, ouverte_le=maintenant, ouverte_par=par),
        conflit="dossier",
    )
    cree = conversation is not None
    if not cree:
        conversation = Conversation.objects.select_for_update().get(dossier=dossier)
        if conversation.ouverte:
            return conversation
        conversation.ouverte, conversation.ouverte_le, conversation.ouverte_par = (
            True,
            maintenant,
            par,
        )
        conversation.save(update_fields=["ouverte", "ouverte_le", "ouverte_par"])
    _historique(dossier, par, _("Conversation ouverte") if cree else _("Conversation rouverte"))
    return conversation


@transaction.atomic
def conversation_fermer(dossier: Dossier, par=None) -> Conversation | None:
    """Close it: the citizen can no longer write (agents still can). Never opened or
    already closed: no-op."""
    conversation = Conversation.objects.select_for_update().filter(dossier=dossier).first()
    if conversation is None or not conversation.ouverte:
        return conversation
    conversation.ouverte, conversation.fermee_le, conversation.fermee_par = (
        False,
        timezone.now(),
        par,
    )
    conversation.save(update_fields=["ouverte", "fermee_le", "fermee_par"])
    _historique(dossier, par, _("Conversation fermée"))
    return conversation


def _historique(dossier, par, libelle) -> None:
    lignes.inserer(_ligne(dossier, par, libelle))


def _ligne(dossier, par, libelle) -> Historique:
    return Historique(
        dossier=dossier,
        par=par if getattr(par, "is_authenticated", False) else None,
        nature=Historique.Nature.MESSAGE,
        libelle=libelle,
        visible_usager=True,
    )


# The same for a chunk of dossiers the caller has locked (a chunk of change_status,
# instruction.services_statut_lot): the same rows and history lines as one call per
# dossier, in a few statements whatever their number.


def conversations_ouvrir(dossiers: list[Dossier], par=None) -> None:
    """`conversation_ouvrir` of each dossier."""
    if not dossiers:
        return
    maintenant = timezone.now()
    nouvelles = [
        Conversation(dossier=d, ouverte=True, ouverte_le=maintenant, ouverte_par=par)
        for d in dossiers
    ]
    creees = {c.dossier_id for c in lignes.inserer_lot(nouvelles, conflit="dossier")}
    libelles = {d.pk: _("Conversation ouverte") for d in dossiers if d.pk in creees}
    autres = [d.pk for d in dossiers if d.pk not in creees]
    if autres:
        fermees = [
            c
            for c in Conversation.objects.select_for_update()
            .filter(dossier_id__in=autres)
            .order_by("dossier_id")
            if not c.ouverte
        ]
        for conversation in fermees:
            conversation.ouverte, conversation.ouverte_le = True, maintenant
            conversation.ouverte_par = par
            libelles[conversation.dossier_id] = _("Conversation rouverte")
        if fermees:
            lignes.ecrire_lot(fermees, ["ouverte", "ouverte_le", "ouverte_par"])
    lignes.inserer_lot([_ligne(d, par, libelles[d.pk]) for d in dossiers if d.pk in libelles])


def conversations_fermer(dossiers: list[Dossier], par=None) -> None:
    """`conversation_fermer` of each dossier."""
    if not dossiers:
        return
    ouvertes = [
        c
        for c in Conversation.objects.select_for_update()
        .filter(dossier_id__in=[d.pk for d in dossiers])
        .order_by("dossier_id")
        if c.ouverte
    ]
    maintenant = timezone.now()
    for conversation in ouvertes:
        conversation.ouverte, conversation.fermee_le, conversation.fermee_par = (
            False,
            maintenant,
            par,
        )
    if ouvertes:
        lignes.ecrire_lot(ouvertes, ["ouverte", "fermee_le", "fermee_par"])
    fermees = {c.dossier_id for c in ouvertes}
    lignes.inserer_lot(
        [_ligne(d, par, _("Conversation fermée")) for d in dossiers if d.pk in fermees]
    )


# --- Attachments -----------------------------------------------------------------------


@dataclass(frozen=True)
class PieceVerifiee:
    fichier: object  # an UploadedFile or ContentFile, read back to its start
    nom: str
    type_mime: str
    taille: int


def _type_zip(upload) -> str | None:
    """An office document is a zip: ODF names its type in a `mimetype` entry, OOXML
    has its parts' folders. Only the directory and a few bytes are read."""
    try:
        with zipfile.ZipFile(upload) as archive:
            noms = archive.namelist()
            if "mimetype" in noms:
                with archive.open("mimetype") as entree:
                    mime = entree.read(100).decode("ascii", "ignore").strip()
                return mime if mime in TYPES else None
            if "[Content_Types].xml" in noms:
                if any(n.startswith("word/") for n in noms):
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                if any(n.startswith("xl/") for n in noms):
                    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return None


def type_par_contenu(upload) -> str | None:
    """The MIME type read from the content, or None when it is none of TYPES."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        tete = upload.read(8)
        upload.seek(0)
        if tete.startswith(PDF_MAGIC):
            return "application/pdf"
        if tete.startswith(b"PK\x03\x04"):
            return _type_zip(upload)
        try:
            with Image.open(upload) as image:
                return IMAGE_FORMATS.get(image.format)
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            SyntaxError,
            ValueError,
        ):
            return None
    finally:
        upload.seek(position)


def nom_assaini(nom: str, type_mime: str) -> str:
    """The original name without path, accents folded, only safe characters, 100
    characters at most, and the extension of the type read in the content."""
    base = PurePosixPath(str(nom).replace("\\", "/")).name
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    racine = base.rsplit(".", 1)[0] if "." in base else base
    racine = re.sub(r"[^\w\- ]+", "_", racine).strip(" ._-")[:100]
    racine = get_valid_filename(racine) if racine else "piece-jointe"
    return f"{racine}.{TYPES[type_mime][0]}"


def piece_verifier(upload) -> PieceVerifiee:
    """Raises ValidationError (French, with the file's name) unless acceptable."""
    nom = getattr(upload, "name", "") or "piece-jointe"
    affiche = PurePosixPath(str(nom).replace("\\", "/")).name
    if not upload.size:
        raise ValidationError(_("« %(nom)s » est vide.") % {"nom": affiche}, code="piece_vide")
    type_mime = type_par_contenu(upload)
    if type_mime is None:
        raise ValidationError(
            _("« %(nom)s » n’est pas d’un type accepté (%(types)s).")
            % {"nom": affiche, "types": TYPES_ACCEPTES},
            code="piece_type",
        )
    limite = TYPES[type_mime][1]
    try:
        if type_mime.startswith("image/"):
            validate_image(upload, max_bytes=limite)
        else:
            validate_document(upload, max_bytes=limite)
    except ValidationError as erreur:
        raise ValidationError(
            _("« %(nom)s » : %(erreur)s") % {"nom": affiche, "erreur": " ".join(erreur.messages)},
            code="piece_refusee",
        ) from None
    return PieceVerifiee(upload, nom_assaini(nom, type_mime), type_mime, upload.size)


def pieces_verifier(fichiers) -> list[PieceVerifiee]:
    """All the files of one message, or a ValidationError listing every refusal."""
    fichiers = list(fichiers or [])
    if len(fichiers) > PIECES_MAX:
        raise ValidationError(
            _("Joignez %(max)s fichiers au plus à un message.") % {"max": PIECES_MAX},
            code="pieces_trop",
        )
    pieces, erreurs = [], []
    for fichier in fichiers:
        try:
            pieces.append(piece_verifier(fichier))
        except ValidationError as erreur:
            erreurs.extend(erreur.error_list)
    if erreurs:
        raise ValidationError(erreurs)
    return pieces


# --- Posting, reading ------------------------------------------------------------------


def _nom_de(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user.get_full_name() or user.email


@transaction.atomic
def message_poster(
    *,
    dossier: Dossier,
    auteur,
    cote: str,
    texte: str,
    fichiers=(),
    via: str | None = None,
    auteur_nom: str = "",
) -> MessageDossier:
    """Post a message (with its attachments) to the dossier's thread. The citizen's side
    needs the conversation open (the row is locked, so a close in between wins); agents
    may always write. Raises ValidationError with a French message."""
    texte = (texte or "").strip()
    if not texte:
        raise ValidationError({"texte": _("Écrivez votre message.")}, code="texte_vide")
    if len(texte) > TEXTE_MAX:
        raise ValidationError(
            {
                "texte": _("Le message compte %(n)s caractères : %(max)s au plus.")
                % {"n": len(texte), "max": TEXTE_MAX}
            },
            code="texte_long",
        )
    try:
        pieces = pieces_verifier(fichiers)
    except ValidationError as erreur:
        raise ValidationError({"fichiers": erreur.error_list}) from None
    if cote == MessageDossier.Cote.USAGER:
        conversation = Conversation.objects.select_for_update().filter(dossier=dossier).first()
        if conversation is None or not conversation.ouverte:
            raise ValidationError(
                _("La conversation est fermée : vous ne pouvez plus écrire sur ce dossier."),
                code="fermee",
            )
    if via is None:
        via = (
            MessageDossier.Via.CRM
            if cote == MessageDossier.Cote.AGENT
            else MessageDossier.Via.PORTAIL
        )
    message = MessageDossier.objects.create(
        dossier=dossier,
        auteur=auteur if getattr(auteur, "is_authenticated", False) else None,
        auteur_nom=(auteur_nom or _nom_de(auteur) or dossier.email_suivi)[:200],
        cote=cote,
        texte=texte,
        via=via,
    )
    for piece in pieces:
        piece.fichier.seek(0)
        PieceJointeMessage.objects.create(
            message=message,
            fichier=File(piece.fichier, name=piece.nom),  # copied by chunks
            nom=piece.nom,
            type_mime=piece.type_mime,
            taille=piece.taille,
        )
    if message.auteur_id:
        # What one writes is read.
        conversation_marquer_lue(dossier=dossier, user=message.auteur, jusqu_a=message.pk)
    _notifier(message)
    return message


def fil_lire(*, dossier: Dossier, user, cote_lu: str) -> tuple[list[MessageDossier], int]:
    """The thread as `user` opens it (both front-ends): its messages and the last one
    they had read before (to mark the new ones); then it is read up to its end, and the
    counters of the page around it say so."""
    deja_lu = selectors_conversation.dernier_lu(dossier, user)
    liste = selectors_conversation.fil(dossier)
    if liste and user is not None and user.is_authenticated:
        conversation_marquer_lue(dossier=dossier, user=user, jusqu_a=liste[-1].pk)
        selectors_conversation.etat_marque_lu(dossier, cote_lu=cote_lu)
    return liste, deja_lu


def conversation_marquer_lue(*, dossier: Dossier, user, jusqu_a: int | None = None) -> None:
    """The user has read the thread up to message `jusqu_a` (default: its last one). One
    upsert; never moves backwards."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    if jusqu_a is None:
        jusqu_a = (
            MessageDossier.objects.filter(dossier=dossier)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if jusqu_a is None:
            return
    LectureConversation.objects.bulk_create(
        [LectureConversation(user=user, dossier=dossier, dernier_lu=jusqu_a, lu_le=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "dossier"],
        update_fields=["dernier_lu", "lu_le"],
    )


# --- Notices ---------------------------------------------------------------------------


def _url(nom: str, dossier: Dossier) -> str:
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse(nom, args=[dossier.pk])


def contexte_notification(message: MessageDossier, *, lien: str) -> dict:
    dossier = message.dossier
    return {
        "dossier": {"reference": dossier.reference, "titre": dossier.dispositif.titre},
        "message": {
            "auteur": message.auteur_nom,
            "texte": message.texte,
            "date": timezone.localtime(message.created_at),
        },
        "lien": lien,
    }


def _notifier(message: MessageDossier) -> None:
    from notifications.services import notifier

    dossier = message.dossier
    cle = f"dossier.message:{message.pk}"
    if message.cote == MessageDossier.Cote.AGENT:
        destinataire = dossier.cree_par
        email = destinataire.email if destinataire else dossier.email_suivi
        if not email:
            return
        if destinataire is None:
            # Filed without an account (P6): the signed follow link opens the dossier in
            # any browser; the messages' address would ask for an account there is none of.
            from dossiers.services_hors_compte import lien_jeton

            lien = settings.GUICHET_SITE_URL.rstrip("/") + reverse(
                "portal:suivi_lien", args=[lien_jeton(dossier)]
            )
        else:
            lien = _url("portal:dossier_messages", dossier)
        contexte = contexte_notification(message, lien=lien)
        contexte["usager"] = {
            "prenom": destinataire.first_name if destinataire else "",
            "nom": destinataire.last_name if destinataire else "",
        }
        notifier(
            "dossier.message_agent",
            contexte=contexte,
            email=email,
            usager=destinataire,
            concerne=dossier,
            lien=reverse("portal:dossier_messages", args=[dossier.pk]),
            cle=cle,
        )
    else:
        agent = dossier.agent
        if agent is None:
            return
        lien = _url("crm:dossier_messages", dossier)
        contexte = contexte_notification(message, lien=lien)
        contexte["agent"] = {"prenom": agent.first_name, "nom": agent.last_name}
        notifier(
            "dossier.message_usager",
            contexte=contexte,
            email=agent.email,
            usager=agent,
            concerne=dossier,
            lien=reverse("crm:dossier_messages", args=[dossier.pk]),
            cle=cle,
        )


# --- Replies by mail -------------------------------------------------------------------

# Where the quoted original starts in a reply (French and English mail clients).
_CITATION = re.compile(
    r"^(>|Le .{5,200} a écrit\s?:|On .{5,200} wrote:|-{2,} ?(Message d.origine|Original Message)"
    r" ?-{2,}|De ?: .+)",
    re.IGNORECASE,
)


def texte_sans_citation(texte: str) -> str:
    """The reply's own words: stops at the quoted original."""
    lignes = []
    for ligne in (texte or "").replace("\r\n", "\n").split("\n"):
        if _CITATION.match(ligne.strip()):
            break
        lignes.append(ligne)
    return "\n".join(lignes).strip()


def auteur_de_la_reponse(dossier: Dossier, expediteur: str):
    """(is the sender the dossier's?, its account or None): the author's account email,
    a verified address of it, the tracking address, or a member of the demandeur profil."""
    from accounts.models import User

    expediteur = (expediteur or "").strip()
    if not expediteur:
        return False, None
    comptes = Q(pk=dossier.cree_par_id) if dossier.cree_par_id else Q(pk__in=[])
    if dossier.demandeur_profil_id:
        comptes |= Q(individu__adhesions__profil_id=dossier.demandeur_profil_id)
    adresse = Q(email__iexact=expediteur) | Q(
        emailaddress__email__iexact=expediteur, emailaddress__verified=True
    )
    user = User.objects.filter(comptes).filter(adresse, is_active=True).distinct().first()
    if user is not None:
        return True, user
    if dossier.email_suivi and dossier.email_suivi.lower() == expediteur.lower():
        return True, None
    return False, None


def reponse_par_courriel(
    objet_id: str, *, expediteur: str, sujet: str, texte: str, pieces_jointes, message
) -> MessageDossier | None:
    """The handler registered with notifications for "dossiers.dossier": a reply to a
    notice mail becomes the citizen's message when its sender belongs to the dossier;
    anyone else's is dropped (logged, nothing told). A refused attachment is left out and
    named in the message. A closed conversation refuses it (the MTA bounces it, saying
    why)."""
    from notifications.services import ReponseRefusee

    dossier = Dossier.objects.filter(pk=objet_id).select_related("dispositif").first()
    if dossier is None:
        logger.warning("Mail reply for a dossier that no longer exists (%s): dropped", objet_id)
        return None
    legitime, user = auteur_de_la_reponse(dossier, expediteur)
    if not legitime:
        logger.warning(
            "Mail reply to dossier %s from %r, who is not one of its citizens: dropped",
            dossier.pk,
            expediteur,
        )
        return None
    corps = texte_sans_citation(texte)
    fichiers, refus = [], []
    for nom, contenu, _type in pieces_jointes or []:
        fichier = ContentFile(contenu, name=nom)
        try:
            piece_verifier(fichier)
        except ValidationError as erreur:
            refus.append(" ".join(erreur.messages))
            continue
        if len(fichiers) == PIECES_MAX:
            refus.append(
                _("« %(nom)s » : %(max)s fichiers au plus par message.")
                % {"nom": nom, "max": PIECES_MAX}
            )
            continue
        fichiers.append(fichier)
    if refus:
        corps += "\n\n" + _("[Pièces jointes refusées : %(liste)s]") % {"liste": " ; ".join(refus)}
    corps = corps.strip() or _("(Réponse sans texte)")
    try:
        return message_poster(
            dossier=dossier,
            auteur=user,
            auteur_nom=_nom_de(user) or expediteur,
            cote=MessageDossier.Cote.USAGER,
            texte=corps[:TEXTE_MAX],
            fichiers=fichiers,
            via=MessageDossier.Via.COURRIEL,
        )
    except ValidationError as erreur:
        raise ReponseRefusee(" ".join(erreur.messages)) from None
