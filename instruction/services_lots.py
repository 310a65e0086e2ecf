"""Batches (« lots », issue 9, I6): one operation applied to many dossiers by a Celery
task — a statut change (services_statut_lot: change_status for a chunk of dossiers at
once), one field set (through the agents' data editing service, so validation and
history apply) or a mail / SMS campaign (through the outbox, paced). The synchronous
move of a small selection stays services_lot (I3).

Never twice, resumable: a lot has one `LigneLot` per dossier (unique). The task takes the
lines still `a_faire` a chunk at a time; each line is locked (`SKIP LOCKED`), checked
`a_faire` again once locked, and marked done in the same transaction as the change — a
crash leaves it `a_faire` with nothing written, two runs never take the same line (a
statut lot claims and marks its chunk's lines together, in the transaction of the
chunk's changes: `_traiter_tranche_statut`). A dossier outside the agent's dossiers by
then, or that the rules refuse, is `ignore` with the reason; an unexpected error is
`echec` (logged) and the others go on."""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from common import gabarits
from dossiers import services as dossiers_services
from dossiers import services_donnees_agent
from dossiers.models import Champ, Dispositif, Dossier, Historique
from dossiers.selectors import dossiers_visible_to
from dossiers.services_gestion import historique_ecrire
from instruction import selectors, services
from instruction.actions.sms import mobile
from instruction.models import Etape, LigneLot, Lot, Statut, SuiviInstruction
from instruction.services_lot import Choix
from instruction.services_statut_lot import Demande, statut_changer_lot
from notifications import services as notifications
from notifications.models import Canal, ModeleMessage

logger = logging.getLogger(__name__)

TRANCHE = 50  # lines per chunk (statut, champs); a campaign's chunk is its pace
TEMPS_MAX = 20.0  # seconds of work per task run before it hands over to a new one
RELANCE_APRES = timedelta(minutes=10)  # an active lot idle this long is resumable
EVENEMENT_CAMPAGNE = services.EVENEMENT_STATUT  # campaign templates' variables

Etat, EtatLigne = Lot.Etat, LigneLot.Etat


LOTS_MAX = 20000  # dossiers per lot: beyond, the filters are too wide to mean it
# Messages per minute a campaign may ask; the outbox's own pace (GUICHET_EMAIL_CADENCE,
# GUICHET_SMS_CADENCE) still holds for all senders together.
RYTHME_MAX = 600


def lots_max() -> int:
    return LOTS_MAX


def rythme_max() -> int:
    return RYTHME_MAX


# --- what a selection may take -----------------------------------------------------------


def statuts_possibles(dossiers: QuerySet[Dossier]) -> list[Choix]:
    """The statuts (by code) the selection's dossiers may go to, each with how many may:
    one aggregate over the selection, then one query per distinct current statut."""
    par_statut = Counter(
        dict(
            SuiviInstruction.objects.filter(dossier__in=dossiers.values("pk"))
            .order_by()
            .values_list("statut_id")
            .annotate(n=Count("pk"))
        )
    )
    nombres: Counter[str] = Counter()
    libelles: dict[str, str] = {}
    for statut in Statut.objects.filter(pk__in=par_statut).select_related("etape"):
        suivi = SuiviInstruction(statut=statut, version_id=statut.version_id)
        for suivant in services.statuts_suivants(suivi):
            nombres[suivant.code] += par_statut[statut.pk]
            libelles.setdefault(suivant.code, f"{suivant.etape.libelle} — {suivant.libelle}")
    return [Choix(code, libelles[code], n) for code, n in nombres.most_common()]


def dispositifs_de(dossiers: QuerySet[Dossier]) -> list[tuple[Dispositif, int]]:
    """The selection's dispositifs with their number of dossiers (a field update targets
    one dispositif's dossiers)."""
    nombres = {
        ligne["dispositif_id"]: ligne["n"]
        for ligne in dossiers.order_by().values("dispositif_id").annotate(n=Count("pk"))
    }
    return [(d, nombres[d.pk]) for d in Dispositif.objects.filter(pk__in=nombres).order_by("titre")]


def modele_du_dispositif(dispositif: Dispositif):
    """The form version whose fields a batch offers: the published one (the dossiers of
    older versions are checked one by one: a field they lack is reported)."""
    return dossiers_services.modele_publie(dispositif)


def champs_possibles(dispositif: Dispositif) -> list[Champ]:
    modele = modele_du_dispositif(dispositif)
    return services_donnees_agent.champs_lot(modele) if modele is not None else []


def modeles_campagne() -> QuerySet[ModeleMessage]:
    """Published mail and SMS templates written for the dossier's statut event (the
    context a campaign renders them with)."""
    return ModeleMessage.objects.filter(
        canal__in=(Canal.EMAIL, Canal.SMS),
        evenement=EVENEMENT_CAMPAGNE,
        publie_le__isnull=False,
    ).order_by("nom")


# --- creating, interrupting, resuming ------------------------------------------------------


def _params_statut(dossiers, params: dict) -> tuple[dict, str]:
    code = params.get("statut") or ""
    choix = {c.valeur: c for c in statuts_possibles(dossiers)}
    if code not in choix:
        raise ValidationError({"statut": _("Choisissez un statut de la liste.")})
    motif = (params.get("motif") or "").strip()
    versions = SuiviInstruction.objects.filter(dossier__in=dossiers.values("pk")).values(
        "version_id"
    )
    if (
        not motif
        and Statut.objects.filter(
            code=code, motif_obligatoire=True, version_id__in=versions
        ).exists()
    ):
        raise ValidationError({"motif": _("Indiquez le motif : ce statut l’exige.")})
    libelle = _("Changer le statut en « %(statut)s »") % {"statut": choix[code].libelle}
    return {"statut": code, "motif": motif}, libelle


def _params_champs(dossiers, params: dict) -> tuple[dict, str]:
    dispositifs = {d.pk: d for d, _n in dispositifs_de(dossiers)}
    dispositif = dispositifs.get(params.get("dispositif"))
    if dispositif is None:
        raise ValidationError({"dispositif": _("Choisissez un dispositif de la sélection.")})
    champ = next((c for c in champs_possibles(dispositif) if c.nom == params.get("champ")), None)
    if champ is None:
        raise ValidationError({"champ": _("Choisissez un champ de la liste.")})
    data = params.get("data") or QueryDict()
    try:
        _valeur, affiche = services_donnees_agent.champ_lot_valider(champ, data)
    except ValidationError as error:
        raise ValidationError({"valeur": error.messages}) from error
    saisie = {
        cle: data.getlist(cle)
        for cle in data
        if cle == champ.nom or cle.startswith(champ.nom + "_")
    }
    libelle = _("Mettre « %(champ)s » à « %(valeur)s »") % {
        "champ": champ.libelle,
        "valeur": affiche or "—",
    }
    return {
        "dispositif": dispositif.pk,
        "champ": champ.nom,
        "saisie": saisie,
        "affichage": affiche,
    }, libelle


def _params_campagne(dossiers, params: dict) -> tuple[dict, str]:
    modele = modeles_campagne().filter(pk=params.get("modele")).first()
    if modele is None:
        raise ValidationError({"modele": _("Choisissez un modèle publié de la liste.")})
    rythme = params.get("rythme")
    if not isinstance(rythme, int) or not 1 <= rythme <= rythme_max():
        raise ValidationError(
            {"rythme": _("Entre 1 et %(max)s messages par minute.") % {"max": rythme_max()}}
        )
    libelle = _("Campagne « %(modele)s » (%(canal)s)") % {
        "modele": modele.nom,
        "canal": modele.get_canal_display(),
    }
    return {"modele": modele.pk, "canal": modele.canal, "rythme": rythme}, libelle


_PARAMS = {
    Lot.Sorte.STATUT: _params_statut,
    Lot.Sorte.CHAMPS: _params_champs,
    Lot.Sorte.CAMPAGNE: _params_campagne,
}


@transaction.atomic
def lot_creer(
    *, agent, sorte: str, params: dict[str, Any], dossiers: QuerySet[Dossier], introuvables: int = 0
) -> Lot:
    """Check the parameters against the selection (ValidationError by field, in French),
    write the lot and one line per dossier, and hand it to a worker once committed.
    `dossiers` comes from dossiers_visible_to(agent) (the view's scoped selection);
    `introuvables`: selected pks that were not among them (counted, never named). A field
    update keeps the dispositif's dossiers only: the others are ignored with the reason."""
    if sorte not in _PARAMS:
        raise ValidationError({"sorte": _("Choisissez une opération de la liste.")})
    dossiers = dossiers.order_by()
    pks = list(dossiers.values_list("pk", flat=True)[: lots_max() + 1])
    if not pks:
        raise ValidationError(_("La sélection ne contient aucun dossier."))
    if len(pks) > lots_max():
        raise ValidationError(
            _("Un lot porte sur %(max)s dossiers au plus : affinez les filtres.")
            % {"max": lots_max()}
        )
    propres, libelle = _PARAMS[sorte](dossiers, params)
    lot = Lot.objects.create(
        sorte=sorte,
        agent=agent,
        libelle=libelle[:300],
        params=propres,
        total=len(pks),
        introuvables=introuvables,
    )
    autres = set()
    if sorte == Lot.Sorte.CHAMPS:
        autres = set(
            dossiers.exclude(dispositif_id=propres["dispositif"]).values_list("pk", flat=True)
        )
    maintenant = timezone.now()
    LigneLot.objects.bulk_create(
        [
            LigneLot(lot=lot, dossier_id=pk)
            if pk not in autres
            else LigneLot(
                lot=lot,
                dossier_id=pk,
                etat=EtatLigne.IGNORE,
                message=_("Il relève d’un autre dispositif que celui du champ."),
                traitee_le=maintenant,
            )
            for pk in sorted(pks)
        ],
        batch_size=2000,
    )
    _planifier(lot)
    return lot


def _planifier(lot: Lot, *, countdown: float | None = None) -> None:
    """Hand the lot to a worker once the caller's transaction commits. A broker down then
    leaves it `en_attente`: `lots_relancer` (beat) or « Reprendre » hands it over again."""
    from instruction.tasks import lot_traiter_task

    pk = lot.pk

    def envoyer():
        try:
            lot_traiter_task.apply_async((pk,), countdown=countdown)
        except Exception:  # noqa: BLE001 - the sweeper resumes it
            logger.exception("Lot %s: broker unreachable, left for the sweeper", pk)

    transaction.on_commit(envoyer)


def peut_reprendre(lot: Lot, maintenant=None) -> bool:
    """Interrupted or failed, or active but idle for RELANCE_APRES (its worker died)."""
    if lot.etat in (Etat.INTERROMPU, Etat.ECHOUE):
        return True
    if lot.etat == Etat.TERMINE:
        return False
    maintenant = maintenant or timezone.now()
    return (lot.actif_le or lot.created_at) < maintenant - RELANCE_APRES


def lot_interrompre(*, lot: Lot) -> bool:
    """Stops the lot after the line being processed; what is done stays done."""
    return bool(
        Lot.objects.filter(pk=lot.pk, etat__in=(Etat.EN_ATTENTE, Etat.EN_COURS)).update(
            etat=Etat.INTERROMPU, actif_le=timezone.now()
        )
    )


def lot_reprendre(*, lot: Lot, force: bool = False) -> bool:
    """Back to `en_attente` and handed to a worker: it goes on from its remaining lines
    (a second run alongside is harmless). Refused when it is running normally."""
    if not (force or peut_reprendre(lot)):
        return False
    Lot.objects.filter(pk=lot.pk).exclude(etat=Etat.TERMINE).update(
        etat=Etat.EN_ATTENTE, erreur="", actif_le=timezone.now()
    )
    _planifier(lot)
    return True


def lots_relancer(maintenant=None) -> list[int]:
    """Beat: the active lots idle for RELANCE_APRES (a worker lost, a broker down) are
    handed to a worker again."""
    maintenant = maintenant or timezone.now()
    pks = list(
        Lot.objects.filter(etat__in=(Etat.EN_ATTENTE, Etat.EN_COURS))
        .filter(
            Q(actif_le__lt=maintenant - RELANCE_APRES)
            | Q(actif_le__isnull=True, created_at__lt=maintenant - RELANCE_APRES)
        )
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        for lot in Lot.objects.filter(pk__in=pks):
            lot_reprendre(lot=lot, force=True)
    return pks


# --- processing -----------------------------------------------------------------------------


class LotImpossible(Exception):
    """The lot cannot go on at all (its template was deleted…): it fails, resumable."""


@dataclass
class Preparation:
    """What a chunk reads once for all its lines."""

    lot: Lot
    modele: ModeleMessage | None = None
    champ: str = ""
    saisie: QueryDict | None = None


def cadence(lot: Lot) -> tuple[int, float]:
    """(lines per chunk, seconds between chunk starts): a campaign sends its pace each
    minute; the others go on at once."""
    if lot.sorte == Lot.Sorte.CAMPAGNE:
        return max(1, int(lot.params.get("rythme") or 1)), 60.0
    return TRANCHE, 0.0


def pause_avant_suite(lot: Lot, duree: float) -> float:
    """The countdown before the next chunk, given how long this one took."""
    _taille, intervalle = cadence(lot)
    return max(0.0, intervalle - duree)


def _preparer(lot: Lot) -> Preparation:
    preparation = Preparation(lot=lot)
    if lot.sorte == Lot.Sorte.CAMPAGNE:
        preparation.modele = ModeleMessage.objects.filter(
            pk=lot.params.get("modele"), publie_le__isnull=False
        ).first()
        if preparation.modele is None:
            raise LotImpossible(_("Le modèle de message n’existe plus ou n’est plus publié."))
    elif lot.sorte == Lot.Sorte.CHAMPS:
        preparation.champ = lot.params.get("champ", "")
        preparation.saisie = QueryDict(mutable=True)
        for cle, valeurs in (lot.params.get("saisie") or {}).items():
            preparation.saisie.setlist(cle, valeurs)
    return preparation


def lot_traiter(lot_pk: int) -> float | None:
    """One task run: chunks of the lot's remaining lines for up to TEMPS_MAX seconds.
    Returns the countdown before the next run, None when there is nothing more to do now
    (finished, interrupted, failed, or every remaining line held by another run)."""
    debut = time.monotonic()
    while True:
        lot = Lot.objects.filter(pk=lot_pk).select_related("agent").first()
        if lot is None or not lot.actif:
            return None
        Lot.objects.filter(pk=lot.pk, etat__in=(Etat.EN_ATTENTE, Etat.EN_COURS)).update(
            etat=Etat.EN_COURS, actif_le=timezone.now()
        )
        try:
            preparation = _preparer(lot)
        except LotImpossible as error:
            Lot.objects.filter(pk=lot.pk).update(etat=Etat.ECHOUE, erreur=str(error))
            return None
        taille, _intervalle = cadence(lot)
        tranche_debut = time.monotonic()
        lignes = list(
            lot.lignes.filter(etat=EtatLigne.A_FAIRE)
            .order_by("pk")
            .values_list("pk", flat=True)[:taille]
        )
        if lot.sorte == Lot.Sorte.STATUT:
            traitees = _traiter_tranche_statut(preparation, lignes)
        else:
            traitees = 0
            for numero, ligne_pk in enumerate(lignes):
                if numero and numero % 10 == 0 and _interrompu(lot):
                    return None
                traitees += _traiter_ligne(preparation, ligne_pk)
        maintenant = timezone.now()
        if not lot.lignes.filter(etat=EtatLigne.A_FAIRE).exists():
            Lot.objects.filter(pk=lot.pk, etat=Etat.EN_COURS).update(
                etat=Etat.TERMINE, termine_le=maintenant, actif_le=maintenant
            )
            return None
        if not traitees:
            return None  # all held by another run: it (or the sweeper) goes on
        pause = pause_avant_suite(lot, time.monotonic() - tranche_debut)
        if pause or time.monotonic() - debut > TEMPS_MAX:
            return pause


def _interrompu(lot: Lot) -> bool:
    return Lot.objects.filter(pk=lot.pk).exclude(etat=Etat.EN_COURS).exists()


def _traiter_ligne(preparation: Preparation, ligne_pk: int) -> int:
    """One line in its own transaction: 1 when this run handled it, 0 when another run
    holds it or has done it."""
    lot = preparation.lot
    with transaction.atomic():
        ligne = (
            LigneLot.objects.select_for_update(skip_locked=True)
            .filter(pk=ligne_pk, etat=EtatLigne.A_FAIRE)
            .first()
        )
        if ligne is None:
            return 0
        # Checked again when the line runs: the agent must still instruct the dossier (C7).
        dossier = dossiers_visible_to(lot.agent, "instruire").filter(pk=ligne.dossier_id).first()
        try:
            if dossier is None:
                raise ValidationError(
                    _("Ce dossier n’est pas (ou plus) parmi ceux que vous pouvez instruire.")
                )
            with transaction.atomic():
                ligne.message = _APPLIQUER[lot.sorte](preparation, dossier)
            ligne.etat = EtatLigne.FAIT
        except ValidationError as error:
            ligne.etat, ligne.message = EtatLigne.IGNORE, " ".join(error.messages)
        except Exception as error:  # noqa: BLE001 - one dossier's failure stops no other
            logger.exception("Lot %s: dossier %s failed", lot.pk, ligne.dossier_id)
            ligne.etat = EtatLigne.ECHEC
            ligne.message = _("Erreur inattendue (%(type)s) : rien n’a été modifié.") % {
                "type": type(error).__name__
            }
        ligne.traitee_le = timezone.now()
        ligne.save(update_fields=["etat", "message", "traitee_le"])
    return 1


def _traiter_tranche_statut(preparation: Preparation, ligne_pks: list[int]) -> int:
    """A statut lot's chunk in one transaction: its lines still `a_faire` claimed
    (`SKIP LOCKED`: those another run holds are left to it), their dossiers moved
    together (services_statut_lot: the same checks, rows and actions as one
    change_status each; a refused or failing dossier isolated) and every line marked in
    the same transaction as the changes — a crash leaves the whole chunk `a_faire` with
    nothing written, two runs never take the same line. Returns how many lines this run
    handled."""
    lot = preparation.lot
    with transaction.atomic():
        lignes = list(
            LigneLot.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ligne_pks, etat=EtatLigne.A_FAIRE)
            .order_by("pk")
        )
        if not lignes:
            return 0
        # Checked again when the lines run: the agent must still instruct the dossier (C7).
        dossiers = dossiers_visible_to(lot.agent, "instruire").filter(
            pk__in=[ligne.dossier_id for ligne in lignes]
        )
        dossiers = {d.pk: d for d in dossiers}
        suivis = selectors.suivis(list(dossiers.values()))
        statuts = {
            s.version_id: s
            for s in Statut.objects.filter(
                version_id__in={s.version_id for s in suivis.values()}, code=lot.params["statut"]
            ).select_related("etape")
        }
        refus, demandes = {}, []
        for ligne in lignes:
            suivi = suivis.get(ligne.dossier_id)
            if ligne.dossier_id not in dossiers:
                refus[ligne.pk] = _(
                    "Ce dossier n’est pas (ou plus) parmi ceux que vous pouvez instruire."
                )
            elif suivi is None:
                refus[ligne.pk] = _("Ce dossier ne suit pas de guide d’instruction.")
            elif suivi.version_id not in statuts:
                refus[ligne.pk] = _("Son guide n’a pas ce statut.")
            else:
                demandes.append(
                    Demande(dossier=dossiers[ligne.dossier_id], statut=statuts[suivi.version_id])
                )
        issues = {
            issue.demande.dossier.pk: issue
            for issue in statut_changer_lot(
                demandes=demandes, by=lot.agent, reason=lot.params.get("motif", "")
            )
        }
        maintenant = timezone.now()
        for ligne in lignes:
            ligne.traitee_le = maintenant
            if ligne.pk in refus:
                ligne.etat, ligne.message = EtatLigne.IGNORE, refus[ligne.pk]
                continue
            issue = issues[ligne.dossier_id]
            if issue.erreur is None:
                ligne.etat, ligne.message = EtatLigne.FAIT, issue.demande.statut.libelle
            elif isinstance(issue.erreur, ValidationError):
                ligne.etat, ligne.message = EtatLigne.IGNORE, " ".join(issue.erreur.messages)
            else:  # one dossier's failure stops no other
                logger.error(
                    "Lot %s: dossier %s failed",
                    lot.pk,
                    ligne.dossier_id,
                    exc_info=issue.erreur,
                )
                ligne.etat = EtatLigne.ECHEC
                ligne.message = _("Erreur inattendue (%(type)s) : rien n’a été modifié.") % {
                    "type": type(issue.erreur).__name__
                }
        LigneLot.objects.bulk_update(lignes, ["etat", "message", "traitee_le"])
    return len(lignes)


def _champs(preparation: Preparation, dossier: Dossier) -> str:
    change = services_donnees_agent.dossier_champ_modifier(
        dossier=dossier, nom=preparation.champ, data=preparation.saisie, by=preparation.lot.agent
    )
    return "" if change else _("Il avait déjà cette valeur.")


def contexte_campagne(dossier: Dossier) -> dict:
    """The `dossier.statut_change` context, for the dossier's current statut (the one a
    template for that event speaks of)."""
    suivi = selectors.suivi_de(dossier)
    if suivi is not None:
        return services.contexte_notification(dossier, suivi.statut)
    # No guide: the dossier's own state stands for the statut.
    etat = dossier.get_statut_display()
    return services.contexte_notification(
        dossier, Statut(libelle=etat, libelle_usager=etat, etape=Etape(libelle=""))
    )


def _campagne(preparation: Preparation, dossier: Dossier) -> str:
    lot, modele = preparation.lot, preparation.modele
    if modele.canal == Canal.SMS:
        destinataire = mobile(dossier)
        if not destinataire:
            raise ValidationError(_("Le demandeur n’a pas de numéro de mobile."))
    else:
        destinataire = services.destinataire(dossier)
        if not destinataire:
            raise ValidationError(_("Le demandeur n’a pas d’adresse électronique."))
    try:
        sujet, corps = notifications.rendre(
            sujet=modele.sujet_publie if modele.canal == Canal.EMAIL else "",
            corps=modele.corps_publie,
            contexte=contexte_campagne(dossier),
        )
    except gabarits.ErreurGabarit as exc:
        raise ValidationError(
            _("Le modèle ne peut pas être rendu pour ce dossier : %(erreur)s") % {"erreur": exc}
        ) from exc
    notifications.mettre_en_file(
        canal=modele.canal,
        destinataire=destinataire,
        sujet=sujet,
        corps=corps,
        corps_html=notifications.corps_html(corps) if modele.canal == Canal.EMAIL else "",
        evenement=EVENEMENT_CAMPAGNE,
        modele=modele,
        usager=dossier.cree_par,
        concerne=dossier,
        # The same dossier of the same lot is one message, whatever happens.
        cle=f"instruction.lot:{lot.pk}:{dossier.pk}",
    )
    historique_ecrire(
        dossier,
        par=lot.agent,
        nature=Historique.Nature.AUTRE,
        libelle=_("%(canal)s « %(modele)s » envoyé (campagne)")
        % {"canal": modele.get_canal_display(), "modele": modele.nom},
        details={"lot": lot.pk, "modele": modele.pk},
    )
    return destinataire


_APPLIQUER = {
    Lot.Sorte.CHAMPS: _champs,
    Lot.Sorte.CAMPAGNE: _campagne,
}


# --- reading -------------------------------------------------------------------------------


def compteurs(lot: Lot) -> dict[str, int]:
    """The lot's lines by state, one aggregate whatever its size; `pourcentage` of the
    lines dealt with."""
    compte = LigneLot.objects.filter(lot=lot).aggregate(
        **{etat: Count("pk", filter=Q(etat=etat)) for etat in EtatLigne.values}
    )
    total = sum(compte.values())
    traitees = total - compte[EtatLigne.A_FAIRE]
    compte["total"] = total
    compte["traitees"] = traitees
    compte["pourcentage"] = 100 if not total else traitees * 100 // total
    return compte


def lots_de(agent) -> QuerySet[Lot]:
    """The agent's lots, newest first, with their counts (one query)."""
    return (
        Lot.objects.filter(agent=agent)
        .annotate(
            n_traitees=Count("lignes", filter=~Q(lignes__etat=EtatLigne.A_FAIRE)),
            n_lignes=Count("lignes"),
        )
        .order_by("-created_at", "-pk")
    )


def lignes_a_signaler(lot: Lot, limite: int = 200) -> list[LigneLot]:
    """The ignored and failed lines with their reasons (the report), the first `limite`."""
    return list(
        lot.lignes.filter(etat__in=(EtatLigne.IGNORE, EtatLigne.ECHEC))
        .select_related("dossier")
        .only("etat", "message", "dossier__reference", "dossier_id", "lot_id")
        .order_by("pk")[:limite]
    )
