"""The verbs of justificatifs (P12, F9): what a filed dossier expects, the citizen's
uploads (and reuse of a profil's documents), the agent's decisions, expiry.

Every verb checks its rule, raises ValidationError with French messages keyed by form
field, writes the dossier's Historique (nature JUSTIFICATIF) and, for a refusal, raises
the `dossier.justificatif_refuse` event (its mail goes through the outbox).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.uploads import verifier_justificatif
from dossiers.formules import evaluer_condition
from dossiers.models import (
    Champ,
    Dossier,
    Historique,
    Justificatif,
    PieceAFournir,
    PieceDeposee,
    ProprietesVue,
    TypeJustificatif,
    VersionJustificatif,
    Vue,
)
from dossiers.models.justificatifs import DOSSIER_JUSTIFICATIFS
from notifications.services import notifier

Statut = Justificatif.Statut


# The form field types that ask for a document (dossiers/champs/natifs): the type of
# justificatif is the field's `type_document` option, or this code for an identity document.
TYPE_PIECE_IDENTITE = "piece-identite"


def _pieces_du_formulaire(dossier: Dossier) -> dict[str, tuple[str, bool]]:
    """type code → (label, mandatory), for the `piece_justificative` and `piece_identite`
    fields the citizen went through (their tab, row and field shown on the filed data);
    mandatory when the field is required in the portal's view."""
    profil = dossier.demandeur_profil.type_profil.code if dossier.demandeur_profil_id else None
    obligatoires = ProprietesVue.objects.filter(
        vue=Vue.INTERNET, obligatoire=True, champ=OuterRef("pk")
    )
    codes: dict[str, tuple[str, bool]] = {}
    champs = (
        Champ.objects.filter(
            modele_id=dossier.modele_id,
            type__in=("piece_justificative", "piece_identite"),
            parent__isnull=True,
        )
        .select_related("ligne__onglet")
        .annotate(obligatoire_internet=Exists(obligatoires))
    )
    for champ in champs:
        conditions = (champ.ligne.onglet.condition, champ.ligne.condition, champ.condition)
        if not all(evaluer_condition(c, dossier.donnees, profil=profil) for c in conditions):
            continue
        if champ.type == "piece_identite":
            code = TYPE_PIECE_IDENTITE
        else:
            code = (champ.options or {}).get("type_document", "")
        if code:
            libelle, obligatoire = codes.get(code, (champ.libelle, False))
            codes[code] = (libelle, obligatoire or champ.obligatoire_internet)
    return codes


def justificatifs_attendus(dossier: Dossier) -> list[Justificatif]:
    """At deposit: one expected Justificatif per piece of the dispositif's sheet linked
    to a type (obligatoire as the piece says), and per document field of the form
    (`piece_justificative`, `piece_identite`; mandatory when required on the portal:
    « Mon compte » lists only those as waiting, P9), unless the dossier already has
    that type. The citizen then uploads them on the dossier's Justificatifs tab."""
    attendus: dict[int, tuple[TypeJustificatif, str, bool]] = {}
    pieces = PieceAFournir.objects.filter(
        dispositif_id=dossier.dispositif_id, type_justificatif__actif=True
    ).select_related("type_justificatif")
    for piece in pieces:
        attendus.setdefault(
            piece.type_justificatif_id, (piece.type_justificatif, piece.libelle, piece.obligatoire)
        )
    du_formulaire = _pieces_du_formulaire(dossier)
    if du_formulaire:
        for type_ in TypeJustificatif.objects.filter(code__in=du_formulaire, actif=True):
            libelle, obligatoire = du_formulaire[type_.code]
            attendus.setdefault(type_.pk, (type_, libelle, obligatoire))
    deja = set(dossier.justificatifs.values_list("type_id", flat=True))
    return Justificatif.objects.bulk_create(
        Justificatif(
            dossier=dossier,
            type=type_,
            libelle=libelle if libelle != type_.libelle else "",
            obligatoire=obligatoire,
            visible_usager=type_.visible_usager,
            visible_partenaire=type_.visible_partenaire,
        )
        for pk, (type_, libelle, obligatoire) in attendus.items()
        if pk not in deja
    )


def _type_profil_id(justificatif: Justificatif) -> int | None:
    if justificatif.profil_id is not None:
        return justificatif.profil.type_profil_id
    return (
        justificatif.dossier.demandeur_profil.type_profil_id
        if (justificatif.dossier.demandeur_profil_id)
        else None
    )


def regle(justificatif: Justificatif) -> tuple[list[str], int]:
    return justificatif.type.regle(_type_profil_id(justificatif))


def _historique(justificatif: Justificatif, *, par, libelle: str, details=None, visible=True):
    if justificatif.dossier_id is None:
        return
    Historique.objects.create(
        dossier_id=justificatif.dossier_id,
        par=par if getattr(par, "is_authenticated", False) else None,
        nature=Historique.Nature.JUSTIFICATIF,
        libelle=libelle[:300],
        details={"justificatif": justificatif.pk, **(details or {})},
        visible_usager=visible,
    )


def _verrouiller(justificatif: Justificatif) -> Justificatif:
    """The row locked for this transaction, its status read again."""
    verrou = Justificatif.objects.select_for_update().only("statut").get(pk=justificatif.pk)
    justificatif.statut = verrou.statut
    return justificatif


@transaction.atomic
def version_deposer(
    *, justificatif: Justificatif, upload, user, commentaire: str = ""
) -> VersionJustificatif:
    """The citizen uploads a (new) version: checked by content against the type's rule
    for the demandeur's profile type; the piece becomes « reçu »."""
    _verrouiller(justificatif)
    if not justificatif.peut_deposer():
        raise ValidationError(
            {"fichier": _("Ce justificatif ne peut plus être modifié.")}, code="statut"
        )
    formats, taille_max = regle(justificatif)
    try:
        fichier = verifier_justificatif(upload, formats=formats, taille_max=taille_max)
    except ValidationError as error:
        raise ValidationError({"fichier": error.messages}) from None
    version = VersionJustificatif(
        justificatif=justificatif,
        nom=fichier.nom,
        type_mime=fichier.type_mime,
        taille=fichier.taille,
        empreinte=fichier.empreinte,
        commentaire_usager=commentaire.strip(),
        depose_par=user if getattr(user, "is_authenticated", False) else None,
    )
    version.fichier.save(fichier.nom, ContentFile(fichier.contenu), save=False)
    version.save()
    _recevoir(justificatif)
    _historique(
        justificatif,
        par=user,
        libelle=_("Justificatif « %(nom)s » déposé") % {"nom": justificatif.nom},
        details={"version": version.pk, "commentaire": version.commentaire_usager},
    )
    return version


def _recevoir(justificatif: Justificatif) -> None:
    justificatif.statut = Statut.RECU
    justificatif.recu_le = timezone.now()
    justificatif.expire_le = None
    justificatif.save(update_fields=["statut", "recu_le", "expire_le", "updated_at"])


@transaction.atomic
def version_reutiliser(
    *, justificatif: Justificatif, source: VersionJustificatif, user, commentaire: str = ""
) -> VersionJustificatif:
    """Reuse a document of the demandeur's profil for this dossier. The new version
    points to the same stored file (never deleted: every version is kept), so nothing
    is copied; its own row keeps who reused it, when, and from where."""
    _verrouiller(justificatif)
    if not justificatif.peut_deposer():
        raise ValidationError(
            {"reprise": _("Ce justificatif ne peut plus être modifié.")}, code="statut"
        )
    if source.pk not in {v.pk for v in reutilisables(justificatif)}:
        raise ValidationError(
            {"reprise": _("Ce document ne peut pas être repris pour cette pièce.")},
            code="reprise",
        )
    version = VersionJustificatif.objects.create(
        justificatif=justificatif,
        fichier=source.fichier.name,
        nom=source.nom,
        type_mime=source.type_mime,
        taille=source.taille,
        empreinte=source.empreinte,
        commentaire_usager=commentaire.strip(),
        depose_par=user if getattr(user, "is_authenticated", False) else None,
        reprise_de=source,
    )
    _recevoir(justificatif)
    _historique(
        justificatif,
        par=user,
        libelle=_("Justificatif « %(nom)s » repris des documents du profil")
        % {"nom": justificatif.nom},
        details={"version": version.pk, "reprise_de": source.pk},
    )
    return version


def reutilisables(justificatif: Justificatif) -> list[VersionJustificatif]:
    """The latest version of each document of the same type on the demandeur's profil
    that is still good: received or validated, not past its validity."""
    from dossiers.selectors_justificatifs import documents_reutilisables

    dossier = justificatif.dossier
    if dossier is None or dossier.demandeur_profil_id is None:
        return []
    return documents_reutilisables(dossier).get(justificatif.type_id, [])


@transaction.atomic
def profil_document_deposer(
    *, profil, type_justificatif: TypeJustificatif, upload, user, commentaire: str = ""
) -> VersionJustificatif:
    """A document kept on a profil (reused later in its dossiers): one Justificatif per
    type on the profil, each upload a new version."""
    justificatif, _cree = Justificatif.objects.get_or_create(
        profil=profil,
        type=type_justificatif,
        defaults={
            "obligatoire": False,
            "visible_usager": True,
            "visible_partenaire": type_justificatif.visible_partenaire,
        },
    )
    justificatif.profil = profil
    # A newer document replaces any earlier one: received, to be checked again.
    return version_deposer(
        justificatif=justificatif, upload=upload, user=user, commentaire=commentaire
    )


# --- Agents (CRM) ---------------------------------------------------------------------


def _decider(justificatif: Justificatif, *, agent, statut: str, commentaire: str) -> None:
    justificatif.statut = statut
    justificatif.commentaire_agent = commentaire
    justificatif.decide_par = agent
    justificatif.decide_le = timezone.now()
    justificatif.save(
        update_fields=[
            "statut",
            "commentaire_agent",
            "decide_par",
            "decide_le",
            "expire_le",
            "updated_at",
        ]
    )


@transaction.atomic
def justificatif_valider(*, justificatif: Justificatif, agent, commentaire: str = "") -> None:
    _verrouiller(justificatif)
    if justificatif.statut != Statut.RECU:
        raise ValidationError(
            {"commentaire": _("Seul un justificatif reçu peut être validé.")}, code="statut"
        )
    justificatif.expire_le = justificatif.expiration()
    _decider(justificatif, agent=agent, statut=Statut.VALIDE, commentaire=commentaire.strip())
    _historique(
        justificatif,
        par=agent,
        libelle=_("Justificatif « %(nom)s » validé") % {"nom": justificatif.nom},
    )


@transaction.atomic
def justificatif_refuser(*, justificatif: Justificatif, agent, commentaire: str) -> None:
    """Refused with the reason the citizen reads (required); they are told by mail."""
    commentaire = (commentaire or "").strip()
    if not commentaire:
        raise ValidationError(
            {"commentaire": _("Indiquez à l’usager pourquoi la pièce est refusée.")},
            code="requis",
        )
    _verrouiller(justificatif)
    if justificatif.statut not in (Statut.RECU, Statut.VALIDE):
        raise ValidationError(
            {"commentaire": _("Seul un justificatif reçu ou validé peut être refusé.")},
            code="statut",
        )
    justificatif.expire_le = None
    _decider(justificatif, agent=agent, statut=Statut.REFUSE, commentaire=commentaire)
    _historique(
        justificatif,
        par=agent,
        libelle=_("Justificatif « %(nom)s » refusé : %(commentaire)s")
        % {"nom": justificatif.nom, "commentaire": commentaire},
        details={"commentaire": commentaire},
    )
    _prevenir_refus(justificatif)


def _prevenir_refus(justificatif: Justificatif) -> None:
    dossier = justificatif.dossier
    if dossier is None:
        return
    compte = dossier.cree_par
    notifier(
        "dossier.justificatif_refuse",
        contexte={
            "dossier": {
                "reference": dossier.reference,
                "dispositif": dossier.dispositif.titre,
            },
            "justificatif": {
                "libelle": justificatif.nom,
                "commentaire": justificatif.commentaire_agent,
            },
            "lien": settings.GUICHET_SITE_URL.rstrip("/")
            + reverse("portal:dossier_justificatifs", args=[dossier.pk]),
        },
        email=(compte.email if compte else "") or dossier.email_suivi,
        usager=compte,
        concerne=dossier,
        lien=reverse("portal:dossier_justificatifs", args=[dossier.pk]),
    )


@transaction.atomic
def justificatif_expirer(*, justificatif: Justificatif, agent, commentaire: str = "") -> None:
    _verrouiller(justificatif)
    if justificatif.statut not in (Statut.RECU, Statut.VALIDE):
        raise ValidationError(
            {"commentaire": _("Seul un justificatif reçu ou validé peut être périmé.")},
            code="statut",
        )
    commentaire = (commentaire or "").strip()
    _decider(justificatif, agent=agent, statut=Statut.PERIME, commentaire=commentaire)
    _historique(
        justificatif,
        par=agent,
        libelle=_("Justificatif « %(nom)s » périmé") % {"nom": justificatif.nom}
        + (f" : {commentaire}" if commentaire else ""),
        details={"commentaire": commentaire},
    )


@transaction.atomic
def justificatif_demander(
    *,
    dossier: Dossier,
    type_justificatif: TypeJustificatif,
    agent,
    obligatoire=True,
    commentaire: str = "",
) -> Justificatif:
    """An agent asks for one more piece."""
    justificatif = Justificatif.objects.create(
        dossier=dossier,
        type=type_justificatif,
        obligatoire=obligatoire,
        commentaire_agent=(commentaire or "").strip(),
        visible_usager=True,
        visible_partenaire=type_justificatif.visible_partenaire,
    )
    _historique(
        justificatif,
        par=agent,
        libelle=_("Justificatif « %(nom)s » demandé") % {"nom": justificatif.nom},
    )
    return justificatif


def justificatif_visibilite(
    *, justificatif: Justificatif, agent, visible_usager: bool, visible_partenaire: bool
) -> None:
    justificatif.visible_usager = visible_usager
    justificatif.visible_partenaire = visible_partenaire
    justificatif.save(update_fields=["visible_usager", "visible_partenaire", "updated_at"])
    _historique(
        justificatif,
        par=agent,
        libelle=_("Visibilité du justificatif « %(nom)s » modifiée") % {"nom": justificatif.nom},
        details={"visible_usager": visible_usager, "visible_partenaire": visible_partenaire},
        visible=False,
    )


# --- Expiry (beat, daily) ------------------------------------------------------------


@transaction.atomic
def justificatifs_perimer(*, aujourd_hui=None) -> int:
    """Validated pieces past their type's validity become « périmé » (idempotent)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    echus = list(
        Justificatif.objects.select_for_update(skip_locked=True)
        .filter(statut=Statut.VALIDE, expire_le__lt=aujourd_hui)
        .select_related("type")
    )
    if not echus:
        return 0
    Justificatif.objects.filter(pk__in=[j.pk for j in echus]).update(
        statut=Statut.PERIME, updated_at=timezone.now()
    )
    Historique.objects.bulk_create(
        Historique(
            dossier_id=j.dossier_id,
            nature=Historique.Nature.JUSTIFICATIF,
            libelle=(_("Justificatif « %(nom)s » périmé (fin de validité)") % {"nom": j.nom})[:300],
            details={"justificatif": j.pk},
            visible_usager=True,
        )
        for j in echus
        if j.dossier_id is not None
    )
    return len(echus)


# --- Files whose upload rolled back (beat, hourly) -------------------------------------

# Longer than any upload's transaction: a younger file may belong to a row not committed.
ANCIENNETE_ORPHELIN = timedelta(hours=1)


def fichiers_orphelins_supprimer(*, anciennete: timedelta = ANCIENNETE_ORPHELIN) -> list[str]:
    """Deletes the stored files of versions whose row does not exist (the upload's
    transaction rolled back after the file was written, or a wizard's pending upload
    purged), once older than `anciennete`.
    Returns the names deleted."""
    stockage = VersionJustificatif._meta.get_field("fichier").storage
    limite = timezone.now() - anciennete
    supprimes: list[str] = []

    def parcourir(dossier: str) -> None:
        try:
            sous_dossiers, fichiers = stockage.listdir(dossier)
        except FileNotFoundError:
            return
        for sous in sorted(sous_dossiers):
            parcourir(f"{dossier}/{sous}")
        if not fichiers:
            return
        connus = set(
            VersionJustificatif.objects.filter(fichier__startswith=f"{dossier}/").values_list(
                "fichier", flat=True
            )
        ) | set(  # uploaded in the wizard, pending their dossier (services_pieces.py)
            PieceDeposee.objects.filter(fichier__startswith=f"{dossier}/").values_list(
                "fichier", flat=True
            )
        )
        for fichier in sorted(fichiers):
            nom = f"{dossier}/{fichier}"
            if nom not in connus and stockage.get_modified_time(nom) < limite:
                stockage.delete(nom)
                supprimes.append(nom)

    parcourir(DOSSIER_JUSTIFICATIFS)
    return supprimes
