"""The verbs of commissions and meetings (I6): create a séance, build its agenda, record
the decisions, close it and produce its minutes; record a meeting.

Every write locks the séance's row first (two agents may fill the agenda at once), then
the dossier's as change_status does: one lock order. A closed séance refuses every
change; a closed dossier (clôturé, `clos_le`) can neither be put on an agenda nor get a
decision, with the reason. A decision is one transaction: the agenda line, a line of the
dossier's history, the statut the commission maps it to (through `change_status`, so the
guide's rules and actions apply — a refusal there refuses the decision) and the amount
written to the dossier's field the commission names.

Rights: the views check the permissions (`instruction.gerer_commissions` to create,
reorder, remove and close; `dossiers.instruire_dossiers` to add dossiers and decide);
dossiers come through `dossiers_visible_to(by, "instruire")` here (C7: the right on the
dossier's dispositif).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.gabarits import montant as montant_fr
from common.html import clean_html
from common.uploads import verifier_justificatif
from dossiers.models import Dossier, Historique
from dossiers.selectors import dossiers_visible_to
from instruction import selectors, services
from instruction.models import (
    Commission,
    Decision,
    DocumentSeance,
    PointOrdreDuJour,
    Reunion,
    Seance,
    Statut,
)


@dataclass
class Bilan:
    ajoutes: list = field(default_factory=list)  # dossiers
    ignores: list = field(default_factory=list)  # (reference or pk, reason)


def _date(seance: Seance) -> str:
    return timezone.localtime(seance.date).strftime("%d/%m/%Y")


def _verrouiller(seance: Seance) -> Seance:
    """The séance's row locked for the transaction, refused once closed."""
    frais = Seance.objects.select_for_update().select_related("commission").get(pk=seance.pk)
    if frais.close:
        raise ValidationError(
            _("La séance du %(date)s est close : elle ne peut plus être modifiée.")
            % {"date": _date(frais)},
            code="close",
        )
    return frais


def raison_dossier_clos(dossier: Dossier) -> str:
    """Why this dossier cannot go before a commission ("" when it can)."""
    if dossier.statut == Dossier.Statut.CLOS or dossier.clos_le is not None:
        quand = timezone.localtime(dossier.clos_le).strftime("%d/%m/%Y") if dossier.clos_le else ""
        return (
            _(
                "Le dossier %(ref)s est clôturé depuis le %(date)s : il ne peut plus passer en commission."
            )
            % {"ref": dossier.reference, "date": quand}
            if quand
            else _("Le dossier %(ref)s est clôturé : il ne peut plus passer en commission.")
            % {"ref": dossier.reference}
        )
    if dossier.statut != Dossier.Statut.DEPOSE:
        return _("Le dossier n’est pas déposé.")
    return ""


# --- séances ---------------------------------------------------------------------------


def seance_creer(*, commission: Commission, date, lieu: str = "", by) -> Seance:
    if not commission.active:
        raise ValidationError(
            {"commission": _("Cette commission n’est plus active.")}, code="inactive"
        )
    if date is None:
        raise ValidationError({"date": _("Indiquez la date et l’heure de la séance.")})
    return Seance.objects.create(commission=commission, date=date, lieu=(lieu or "").strip())


@transaction.atomic
def seance_modifier(*, seance: Seance, date, lieu: str, proces_verbal: str, by) -> Seance:
    """Date, place and minutes' text (rich text, cleaned) of a séance not closed."""
    seance = _verrouiller(seance)
    seance.date, seance.lieu = date, (lieu or "").strip()
    seance.proces_verbal = clean_html(proces_verbal)
    seance.save(update_fields=["date", "lieu", "proces_verbal", "updated_at"])
    return seance


# --- the agenda ------------------------------------------------------------------------


@transaction.atomic
def ordre_du_jour_ajouter(*, seance: Seance, pks: list[int], by) -> Bilan:
    """Put the dossiers `pks` on the séance's agenda, after the lines already there. Each
    dossier is looked up in what `by` may see; one out of scope, of another dispositif
    than the commission's, closed, or already on an open agenda is skipped with its
    reason. The whole call is refused when the séance is closed."""
    seance = _verrouiller(seance)
    bilan = Bilan()
    dispositifs = set(seance.commission.dispositifs.values_list("pk", flat=True))
    trouves = {
        d.pk: d
        for d in dossiers_visible_to(by, "instruire")
        .filter(pk__in=pks)
        .select_related("dispositif")
    }
    deja = dict(
        PointOrdreDuJour.objects.filter(dossier_id__in=trouves)
        .exclude(seance__etat=Seance.Etat.CLOSE)
        .values_list("dossier_id", "seance__date")
    )
    ordre = (seance.points.aggregate(n=Max("ordre"))["n"] or 0) + 1
    # By reference (the order they were filed in), whatever the order of the selection.
    for pk in sorted(dict.fromkeys(pks), key=lambda pk: (pk not in trouves, _cle(trouves, pk))):
        dossier = trouves.get(pk)
        if dossier is None:
            bilan.ignores.append((str(pk), _("Dossier introuvable.")))
            continue
        raison = raison_dossier_clos(dossier)
        if not raison and dossier.dispositif_id not in dispositifs:
            raison = _("Le dispositif « %(d)s » ne relève pas de la commission « %(c)s ».") % {
                "d": dossier.dispositif.titre,
                "c": seance.commission.nom,
            }
        if not raison and pk in deja:
            raison = _("Déjà inscrit à l’ordre du jour de la séance du %(date)s.") % {
                "date": timezone.localtime(deja[pk]).strftime("%d/%m/%Y")
            }
        if raison:
            bilan.ignores.append((dossier.reference, raison))
            continue
        PointOrdreDuJour.objects.create(
            seance=seance, dossier=dossier, ordre=ordre, rapporteur=dossier.agent
        )
        ordre += 1
        Historique.objects.create(
            dossier=dossier,
            par=by,
            nature=Historique.Nature.AUTRE,
            libelle=_("Inscrit à l’ordre du jour de la séance du %(date)s (%(c)s)")
            % {"date": _date(seance), "c": seance.commission.nom},
            details={"seance": seance.pk, "commission": seance.commission.nom},
        )
        bilan.ajoutes.append(dossier)
    return bilan


def _cle(trouves: dict, pk: int) -> str:
    return trouves[pk].reference if pk in trouves else str(pk)


@transaction.atomic
def ordre_du_jour_retirer(*, point: PointOrdreDuJour, by) -> None:
    _verrouiller(point.seance)
    point = PointOrdreDuJour.objects.get(pk=point.pk)  # its decision as of now
    if point.decision:
        raise ValidationError(
            _("Une décision est enregistrée pour ce dossier : il reste à l’ordre du jour."),
            code="decide",
        )
    point.delete()


@transaction.atomic
def ordre_du_jour_deplacer(*, point: PointOrdreDuJour, vers_le_haut: bool, by) -> None:
    """Swap the line with its neighbour above (or below); at the end: nothing to do."""
    seance = _verrouiller(point.seance)
    lignes = list(seance.points.order_by("ordre", "pk"))
    rang = next(i for i, ligne in enumerate(lignes) if ligne.pk == point.pk)
    voisin = rang - 1 if vers_le_haut else rang + 1
    if not 0 <= voisin < len(lignes):
        return
    lignes[rang], lignes[voisin] = lignes[voisin], lignes[rang]
    for numero, ligne in enumerate(lignes, start=1):
        if ligne.ordre != numero:
            ligne.ordre = numero
            ligne.save(update_fields=["ordre"])


# --- documents -------------------------------------------------------------------------


@transaction.atomic
def document_deposer(*, seance: Seance, upload, titre: str, by) -> DocumentSeance:
    """A document on a séance not closed: its type read from its content (PDF, office
    documents, images), its size bounded, its name sanitised (common.uploads)."""
    seance = _verrouiller(seance)
    if upload is None:
        raise ValidationError({"fichier": _("Choisissez un fichier.")}, code="vide")
    try:
        fichier = verifier_justificatif(
            upload, formats=DocumentSeance.FORMATS, taille_max=DocumentSeance.TAILLE_MAX
        )
    except ValidationError as error:
        raise ValidationError({"fichier": error.messages}, code="fichier") from error
    document = DocumentSeance(
        seance=seance,
        titre=(titre or "").strip() or fichier.nom,
        nom=fichier.nom,
        type_mime=fichier.type_mime,
        taille=fichier.taille,
        empreinte=fichier.empreinte,
        depose_par=by,
    )
    # Written before the row; removed at once if the row fails.
    document.fichier.save(fichier.nom, ContentFile(fichier.contenu), save=False)
    try:
        document.save()
    except BaseException:
        document.fichier.storage.delete(document.fichier.name)
        raise
    return document


# --- decisions -------------------------------------------------------------------------


def _statut_cible(commission: Commission, decision: str, dossier: Dossier) -> Statut | None:
    code = {
        Decision.FAVORABLE: commission.statut_favorable,
        Decision.DEFAVORABLE: commission.statut_defavorable,
    }.get(decision, "")
    if not code:
        return None
    suivi = selectors.suivi_de(dossier)
    if suivi is None:
        return None
    return (
        Statut.objects.filter(version_id=suivi.version_id, code=code)
        .select_related("etape")
        .first()
    )


@transaction.atomic
def decision_enregistrer(
    *,
    point: PointOrdreDuJour,
    decision: str,
    montant: Decimal | None = None,
    motivation: str = "",
    by,
) -> PointOrdreDuJour:
    """Record (or correct, while the séance is open) the decision on one agenda line."""
    seance = _verrouiller(point.seance)
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=point.dossier_id)
    point = PointOrdreDuJour.objects.select_for_update().get(pk=point.pk)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choisissez une décision.")}, code="decision")
    raison = raison_dossier_clos(dossier)
    if raison:
        raise ValidationError({"decision": raison}, code="dossier_clos")
    if montant is not None and montant < 0:
        raise ValidationError(
            {"montant": _("Le montant accordé ne peut pas être négatif.")}, code="montant"
        )
    if montant is not None and decision != Decision.FAVORABLE:
        raise ValidationError(
            {"montant": _("Un montant n’est accordé qu’avec une décision favorable.")},
            code="montant",
        )
    motivation = (motivation or "").strip()
    libelle_decision = Decision(decision).label
    point.decision, point.montant, point.motivation = decision, montant, motivation
    point.decide_par, point.decide_le = by, timezone.now()
    point.save(update_fields=["decision", "montant", "motivation", "decide_par", "decide_le"])
    texte = _("Commission « %(c)s » du %(date)s : %(decision)s") % {
        "c": seance.commission.nom,
        "date": _date(seance),
        "decision": str(libelle_decision).lower(),
    }
    if montant is not None:
        texte += _(", %(montant)s accordés") % {"montant": montant_fr(montant)}
    Historique.objects.create(
        dossier=dossier,
        par=by,
        nature=Historique.Nature.AUTRE,
        libelle=texte,
        details={
            "seance": seance.pk,
            "decision": decision,
            **({"montant": f"{montant:.2f}"} if montant is not None else {}),
            **({"motivation": motivation} if motivation else {}),
        },
    )
    champ = seance.commission.champ_montant
    if champ and montant is not None:
        # Stored as the « montant » field type stores amounts: "1234.50".
        dossier.donnees = {**(dossier.donnees or {}), champ: f"{montant:.2f}"}
        dossier.save(update_fields=["donnees", "updated_at"])
    statut = _statut_cible(seance.commission, decision, dossier)
    suivi = selectors.suivi_de(dossier)
    if statut is not None and suivi is not None and suivi.statut_id != statut.pk:
        services.change_status(dossier=dossier, statut=statut, by=by, reason=texte)
    if seance.etat == Seance.Etat.PREPAREE:
        # A decision means the séance is being held.
        seance.etat = Seance.Etat.TENUE
        seance.save(update_fields=["etat", "updated_at"])
    return point


# --- closing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Totaux:
    points: int
    decides: int
    favorables: int
    defavorables: int
    ajournes: int
    montant: Decimal


def totaux(points: list[PointOrdreDuJour]) -> Totaux:
    """Counted on the lines already read for the page: no query."""
    return Totaux(
        points=len(points),
        decides=sum(1 for p in points if p.decision),
        favorables=sum(1 for p in points if p.decision == Decision.FAVORABLE),
        defavorables=sum(1 for p in points if p.decision == Decision.DEFAVORABLE),
        ajournes=sum(1 for p in points if p.decision == Decision.AJOURNE),
        montant=sum((p.montant or Decimal(0) for p in points), Decimal(0)),
    )


@transaction.atomic
def seance_clore(*, seance: Seance, by) -> Seance:
    """Close the séance: every line needs a decision first (« ajourné » or « sans
    objet » are decisions). Produces the minutes through éditique when the commission
    names a template; otherwise the standard minutes are rendered on demand from the
    closed, frozen séance."""
    seance = _verrouiller(seance)
    sans_decision = list(
        seance.points.filter(decision="").values_list("dossier__reference", flat=True)
    )
    if sans_decision:
        raise ValidationError(
            _(
                "Enregistrez d’abord une décision pour : %(refs)s (« ajourné » ou « sans objet » conviennent)."
            )
            % {"refs": ", ".join(sans_decision)},
            code="sans_decision",
        )
    seance.etat, seance.close_le, seance.close_par = Seance.Etat.CLOSE, timezone.now(), by
    seance.save(update_fields=["etat", "close_le", "close_par", "updated_at"])
    modele = seance.commission.modele_pv
    if modele is not None and modele.actif:
        from editique import services as editique_services
        from instruction.editique_commissions import contexte_seance

        seance.pv_document = editique_services.document_generer(
            modele=modele,
            contexte=contexte_seance(seance, by),
            objet=seance,
            titre=_("Procès-verbal — %(s)s") % {"s": seance},
            par=by,
            depose_usager=False,
        )
        seance.save(update_fields=["pv_document"])
    return seance


# --- meetings --------------------------------------------------------------------------


@transaction.atomic
def reunion_enregistrer(
    *,
    reunion: Reunion | None = None,
    objet: str,
    date,
    lieu: str = "",
    participants: str = "",
    compte_rendu: str = "",
    dossier_pks: list[int] = (),
    by,
) -> Reunion:
    """Create or update a meeting; its dossiers are those of `dossier_pks` that `by`
    may see (others are ignored, never linked), plus those already linked that `by`
    does not see."""
    reunion = reunion or Reunion(cree_par=by)
    visibles = dossiers_visible_to(by, "instruire")
    # Dossiers linked by agents of another scope stay linked: this agent does not see them.
    gardes = list(reunion.dossiers.exclude(pk__in=visibles.values("pk"))) if reunion.pk else []
    reunion.objet, reunion.date, reunion.lieu = objet.strip(), date, (lieu or "").strip()
    reunion.participants = (participants or "").strip()
    reunion.compte_rendu = (compte_rendu or "").strip()
    reunion.save()
    reunion.dossiers.set([*visibles.filter(pk__in=list(dossier_pks)), *gardes])
    return reunion
