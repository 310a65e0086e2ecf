"""Pieces uploaded inside the form wizard (P5, P12, F9): a `piece_justificative` or
`piece_identite` field asks for its document at its step, where the citizen uploads a
file or picks a document of their profil.

Before the dossier exists, the wizard's session state holds one choice per field name:
"depot:<pk>" (a `PieceDeposee`, checked and stored at once), "reprise:<pk>" (a
profil's VersionJustificatif) or, for a resumed draft, "version:<pk>" (the version
already attached to it). Saving a draft or filing attaches them (`pieces_rattacher`):
the dossier's Justificatif is « reçu » with a first version pointing to the stored
file, never copied. Uploads never attached are deleted after a day.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.nombres import entier
from common.uploads import FORMATS_JUSTIFICATIFS, verifier_justificatif
from dossiers.champs.natifs.identite import DOCUMENTS
from dossiers.formules import evaluer_condition
from dossiers.models import (
    Dossier,
    Historique,
    Justificatif,
    PieceDeposee,
    TypeJustificatif,
    VersionJustificatif,
)
from dossiers.selectors_justificatifs import documents_reutilisables
from dossiers.services_justificatifs import TYPE_PIECE_IDENTITE

TYPES_PIECE = ("piece_justificative", "piece_identite")
# Pending uploads older than this were never attached: the wizard was left.
ANCIENNETE_PIECE = timedelta(days=1)


def code_type(champ) -> str:
    """The TypeJustificatif code a document field asks for ("" when not set)."""
    if champ.type == "piece_identite":
        return TYPE_PIECE_IDENTITE
    return (champ.options or {}).get("type_document", "")


def champs_pieces(onglet) -> list:
    """The tab's top-level document fields shown in the citizen's view. Kept on the tab
    (a published version's structure is read once per process)."""
    from dossiers.services import proprietes_internet

    champs = onglet.__dict__.get("_champs_pieces")
    if champs is None:
        champs = []
        for ligne in onglet.lignes.all():
            for champ in ligne.champs.all():
                if (
                    champ.parent_id is None
                    and champ.type in TYPES_PIECE
                    and proprietes_internet(champ).visible
                    and code_type(champ)
                ):
                    champ._condition_ligne = ligne.condition  # no query for its row
                    champs.append(champ)
        onglet._champs_pieces = champs
    return champs


def _types(champs) -> dict[str, TypeJustificatif]:
    codes = {code_type(champ) for champ in champs}
    if not codes:
        return {}
    return {
        t.code: t
        for t in TypeJustificatif.objects.filter(code__in=codes, actif=True).prefetch_related(
            "regles"
        )
    }


def _type_profil_id(dossier: Dossier) -> int | None:
    profil = dossier.demandeur_profil
    return profil.type_profil_id if profil is not None else None


def _visible(champ, donnees: dict, profil: str | None) -> bool:
    ligne = champ.__dict__.get("_condition_ligne")
    return evaluer_condition(ligne, donnees, profil=profil) and evaluer_condition(
        champ.condition, donnees, profil=profil
    )


def _profil_code(dossier: Dossier) -> str | None:
    profil = dossier.demandeur_profil
    return profil.type_profil.code if profil is not None else None


def _proprietaire(user, session: str) -> dict:
    if user is not None and user.is_authenticated:
        return {"user": user}
    return {"user__isnull": True, "session": session or "-"}


def piece_deposer(
    *, upload, type_justificatif: TypeJustificatif, type_profil_id, user, session: str
) -> PieceDeposee:
    """Check an upload against the type's rule for the profile type and store it at once
    in private storage, pending its dossier."""
    formats, taille_max = type_justificatif.regle(type_profil_id)
    fichier = verifier_justificatif(upload, formats=formats, taille_max=taille_max)
    piece = PieceDeposee(
        type=type_justificatif,
        nom=fichier.nom,
        type_mime=fichier.type_mime,
        taille=fichier.taille,
        empreinte=fichier.empreinte,
        user=user if user is not None and user.is_authenticated else None,
        session="" if user is not None and user.is_authenticated else session,
    )
    piece.fichier.save(fichier.nom, ContentFile(fichier.contenu), save=False)
    piece.save()
    return piece


def _reutilisables(dossier: Dossier, user) -> dict[int, list[VersionJustificatif]]:
    """A signed-in citizen's profil documents (none without an account)."""
    if user is None or not user.is_authenticated or dossier.demandeur_profil_id is None:
        return {}
    return documents_reutilisables(dossier)


def etape_pieces(
    *, dossier: Dossier, onglet, data, files, cleaned: dict, pieces: dict, user, session: str
) -> tuple[dict[str, str], dict[str, ValidationError]]:
    """One step's document fields, posted: an uploaded file (checked and stored), else
    the choice `<name>-piece` ("" removes; the current one, or a profil's document of the
    type). Returns the step's choices over `pieces` and the French errors by field name;
    a required field left without a document gets a "required" error (a draft may keep
    it). A field hidden by its conditions asks nothing and loses its choice."""
    champs = champs_pieces(onglet)
    pieces = dict(pieces)
    erreurs: dict[str, ValidationError] = {}
    if not champs:
        return pieces, erreurs
    from dossiers.services import proprietes_internet

    types = _types(champs)
    donnees = {**dossier.donnees, **cleaned}
    profil = _profil_code(dossier)
    reutilisables = None
    for champ in champs:
        nom = champ.nom
        type_ = types.get(code_type(champ))
        if type_ is None:
            continue
        if not _visible(champ, donnees, profil):
            pieces.pop(nom, None)
            continue
        upload = files.get(nom) if files else None
        if upload is not None and upload.name:
            try:
                depot = piece_deposer(
                    upload=upload,
                    type_justificatif=type_,
                    type_profil_id=_type_profil_id(dossier),
                    user=user,
                    session=session,
                )
            except ValidationError as error:
                erreurs[nom] = ValidationError(error.messages, code="fichier")
                continue
            pieces[nom] = f"depot:{depot.pk}"
        elif f"{nom}-piece" in data:
            choix = data.get(f"{nom}-piece", "")
            if not choix:
                pieces.pop(nom, None)
            elif choix != pieces.get(nom):
                if reutilisables is None:
                    reutilisables = _reutilisables(dossier, user)
                offerts = {f"reprise:{v.pk}" for v in reutilisables.get(type_.pk, [])}
                if choix not in offerts:
                    erreurs[nom] = ValidationError(
                        _("Ce document ne peut pas être utilisé pour cette pièce."),
                        code="reprise",
                    )
                    continue
                pieces[nom] = choix
        if nom not in pieces and proprietes_internet(champ).obligatoire:
            erreurs[nom] = ValidationError(_("Joignez ce document."), code="required")
    return pieces, erreurs


def pieces_manquantes(dossier: Dossier, onglets: list, pieces: dict) -> dict[int, dict]:
    """At filing: index of a visible tab → errors of its required document fields still
    without a document (the server's last word on what each step checked)."""
    from dossiers.services import proprietes_internet

    profil = _profil_code(dossier)
    manquantes: dict[int, dict] = {}
    for index, onglet in enumerate(onglets):
        champs = champs_pieces(onglet)
        if not champs:
            continue
        types = _types(champs)
        for champ in champs:
            if (
                champ.nom not in pieces
                and code_type(champ) in types
                and proprietes_internet(champ).obligatoire
                and _visible(champ, dossier.donnees, profil)
            ):
                manquantes.setdefault(index, {})[champ.nom] = ValidationError(
                    _("Joignez ce document."), code="required"
                )
    return manquantes


def _choix(valeur: str) -> tuple[str, int | None]:
    genre, _sep, pk = (valeur or "").partition(":")
    return genre, entier(pk)


@transaction.atomic
def pieces_rattacher(*, dossier: Dossier, onglets: list, pieces: dict, user) -> None:
    """Attach the wizard's choices to the saved dossier (a draft or just filed): per
    visible document field, a Justificatif « reçu » whose first version points to the
    stored file. On a draft, a piece no longer chosen (removed, replaced, its field
    hidden) goes. A pending upload must be this account's (or, without one, reach here
    from the session that stored it); a profil's document must be one it may reuse."""
    profil = _profil_code(dossier)
    champs = [
        champ
        for onglet in onglets
        for champ in champs_pieces(onglet)
        if champ.nom in pieces and _visible(champ, dossier.donnees, profil)
    ]
    types = _types(champs)
    existants = {j.type_id: j for j in dossier.justificatifs.prefetch_related("versions")}
    choisis: dict[int, tuple] = {}
    for champ in champs:
        type_ = types.get(code_type(champ))
        if type_ is not None:
            choisis.setdefault(type_.pk, (champ, type_, *_choix(pieces[champ.nom])))
    depots = {
        p.pk: p
        for p in PieceDeposee.objects.select_for_update().filter(
            pk__in=[pk for _c, _t, genre, pk in choisis.values() if genre == "depot"],
            **({"user": user} if user is not None and user.is_authenticated else {}),
        )
    }
    reutilisables = None
    auteur = user if user is not None and user.is_authenticated else None
    brouillon = dossier.statut == Dossier.Statut.BROUILLON
    # Every piece the dossier has here came from the wizard (a draft's: at filing, the
    # expected ones are created after this): those not chosen again (removed, replaced,
    # their field now hidden) go.
    for type_pk, justificatif in existants.items():
        garde = choisis.get(type_pk)
        if justificatif.statut != Justificatif.Statut.ATTENDU and not (
            garde
            and garde[2] == "version"
            and garde[3] in {v.pk for v in justificatif.versions.all()}
        ):
            justificatif.delete()  # its file is swept with the orphans
    for type_pk, (champ, type_, genre, pk) in choisis.items():
        if genre == "depot" and pk in depots:
            source = depots[pk]
            reprise_de = None
        elif genre == "reprise":
            if reutilisables is None:
                reutilisables = _reutilisables(dossier, user)
            source = next((v for v in reutilisables.get(type_pk, []) if v.pk == pk), None)
            reprise_de = source
        else:
            continue  # kept (version), or no longer there: expected at filing
        if source is None:
            continue
        justificatif = dossier.justificatifs.filter(
            type_id=type_pk, statut=Justificatif.Statut.ATTENDU
        ).first() or Justificatif(
            dossier=dossier,
            type=type_,
            libelle=champ.libelle if champ.libelle != type_.libelle else "",
            visible_usager=type_.visible_usager,
            visible_partenaire=type_.visible_partenaire,
        )
        justificatif.statut = Justificatif.Statut.RECU
        justificatif.recu_le = timezone.now()
        justificatif.save()
        version = VersionJustificatif.objects.create(
            justificatif=justificatif,
            fichier=source.fichier.name,
            nom=source.nom,
            type_mime=source.type_mime,
            taille=source.taille,
            empreinte=source.empreinte,
            depose_par=auteur,
            reprise_de=reprise_de,
        )
        if genre == "depot":
            source.delete()  # the row only: the version now holds the file
        if not brouillon:
            Historique.objects.create(
                dossier=dossier,
                par=auteur,
                nature=Historique.Nature.JUSTIFICATIF,
                libelle=(
                    _("Justificatif « %(nom)s » joint à la demande") % {"nom": justificatif.nom}
                )[:300],
                details={"justificatif": justificatif.pk, "version": version.pk},
                visible_usager=True,
            )


def pieces_du_brouillon(dossier: Dossier) -> dict[str, str]:
    """A resumed draft's attached pieces as the wizard's choices ("version:<pk>")."""
    from dossiers.services import modele_onglets

    champs = [champ for onglet in modele_onglets(dossier.modele) for champ in champs_pieces(onglet)]
    if not champs:
        return {}
    types = _types(champs)
    versions = {}
    for justificatif in dossier.justificatifs.prefetch_related("versions"):
        derniere = next(iter(justificatif.versions.all()), None)
        if derniere is not None:
            versions[justificatif.type_id] = derniere.pk
    pieces = {}
    for champ in champs:
        type_ = types.get(code_type(champ))
        if type_ is not None and type_.pk in versions:
            pieces.setdefault(champ.nom, f"version:{versions[type_.pk]}")
    return pieces


@dataclass
class PieceAffichee:
    """What a step shows for a document field (rendered per request, never cached)."""

    champ: object
    obligatoire: bool
    aide_formats: str
    accept: str
    actuel: object | None  # a PieceDeposee or a VersionJustificatif
    choix: str  # the current choice's value, "" for none
    reprises: list  # the profil's VersionJustificatif the citizen may reuse
    erreurs: list


def pieces_a_afficher(
    *, dossier: Dossier, onglet, pieces: dict, user, session: str, erreurs: dict | None = None
) -> dict[str, PieceAffichee]:
    """Field name → what the step shows for it: the type's formats and size, the current
    document (only one this account or session may see), the profil's reusable ones."""
    from django.template.defaultfilters import filesizeformat

    from dossiers.services import proprietes_internet

    champs = champs_pieces(onglet)
    if not champs:
        return {}
    types = _types(champs)
    choisis = {champ.nom: _choix(pieces.get(champ.nom, "")) for champ in champs}
    en_attente = [pk for genre, pk in choisis.values() if genre == "depot"]
    depots = (
        {
            p.pk: p
            for p in PieceDeposee.objects.filter(pk__in=en_attente, **_proprietaire(user, session))
        }
        if en_attente
        else {}
    )
    attaches = [pk for genre, pk in choisis.values() if genre == "version"]
    versions = (
        {
            v.pk: v
            for v in VersionJustificatif.objects.filter(
                pk__in=attaches, justificatif__dossier_id=dossier.pk
            )
        }
        if attaches and dossier.pk
        else {}
    )
    reutilisables = _reutilisables(dossier, user) if types else {}
    affichees = {}
    for champ in champs:
        type_ = types.get(code_type(champ))
        if type_ is None:
            continue
        formats, taille_max = type_.regle(_type_profil_id(dossier))
        genre, pk = choisis[champ.nom]
        reprises = reutilisables.get(type_.pk, [])
        if genre == "depot":
            actuel = depots.get(pk)
        elif genre == "reprise":
            actuel = next((v for v in reprises if v.pk == pk), None)
        elif genre == "version":
            actuel = versions.get(pk)
        else:
            actuel = None
        erreur = (erreurs or {}).get(champ.nom)
        aide = _("Formats acceptés : %(formats)s. Taille maximale : %(taille)s.") % {
            "formats": ", ".join(FORMATS_JUSTIFICATIFS[f][1] for f in formats),
            "taille": filesizeformat(taille_max),
        }
        if champ.type == "piece_identite":
            acceptes = set((champ.options or {}).get("documents") or ())
            noms = [str(libelle) for code, libelle in DOCUMENTS if code in acceptes]
            if noms:
                aide = (
                    _("Documents acceptés : %(documents)s.") % {"documents": ", ".join(noms)}
                    + f" {aide}"
                )
        affichees[champ.nom] = PieceAffichee(
            champ=champ,
            obligatoire=proprietes_internet(champ).obligatoire,
            aide_formats=aide,
            accept=",".join(FORMATS_JUSTIFICATIFS[f][0] for f in formats),
            actuel=actuel,
            choix=pieces.get(champ.nom, "") if actuel is not None else "",
            reprises=[v for v in reprises if genre != "reprise" or v.pk != pk],
            erreurs=erreur.messages if erreur else [],
        )
    return affichees


# --- Pending uploads never attached (beat, with the orphan files) ------------------------


def pieces_deposees_purger(*, anciennete: timedelta = ANCIENNETE_PIECE) -> int:
    """Deletes the pending uploads older than `anciennete` and their files (never
    shared: an attached upload's row is gone). Idempotent."""
    vieilles = list(PieceDeposee.objects.filter(created_at__lt=timezone.now() - anciennete))
    for piece in vieilles:
        if not VersionJustificatif.objects.filter(fichier=piece.fichier.name).exists():
            piece.fichier.delete(save=False)
        piece.delete()
    return len(vieilles)
