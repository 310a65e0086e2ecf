"""change_status for a chunk of dossiers moved together (I3's selection from the CRM list,
I6's Celery batches): the same checks, rows, actions and notifications as one
change_status per dossier, in one transaction of set-based statements — about twenty
for a chunk of up to TAILLE dossiers, where change_status runs about twenty per dossier.

For each chunk:
- the dossiers and their suivis locked in one statement, in the dossiers' id order (one
  lock order: a single change_status locks its dossier then its suivi, another chunk
  locks in the same order; no deadlock);
- each dossier checked as change_status checks it (the same functions, the same French
  messages): another agent's change (`attendu`), a statut of another guide, the same
  statut, the transition (its current statut's answer read once per distinct pair of
  statuts), the reason. A refused dossier is reported and skipped, never applied;
- the suivis, the dossiers' sort keys, the changes and their history lines written by
  one statement, the closings / reopenings by one more; then each target statut's
  actions in order, each type's `executer_lot` for all the dossiers whose action has
  the same config at once (the same rows, in the same order for each dossier); the
  notifications of the event (the outbox rows in one statement, handed over on commit
  as N calls would);
- a dossier whose statut has an action without a set-based path (a module's type,
  « sauter », a document, an SMS, a team's routing, a mail with attachments…), a
  dossier without guide, or one named twice is moved afterwards by change_status alone;
- any exception inside the chunk rolls it back whole, and each of its dossiers is then
  moved by change_status alone: a failing action isolates exactly its dossier, as
  before.

The rows' triggers (pghistory's journal, the dashboard's counters) fire once per row,
as for N calls. The difference: no `pre_save` / `post_save` signal for the dossier a
closing statut closes (change_status saves it through the ORM; no receiver listens to
the dossier's saves), and one timestamp for the chunk.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.urls import reverse
from django.utils import timezone

from common import lignes
from dossiers.models import Dossier
from dossiers.models.dossiers import SANS_ECHEANCE
from instruction import actions, selectors, services
from instruction.models import ActionStatut, ChangementStatut, Etape, Statut, SuiviInstruction
from notifications.services import notifier_lot

logger = logging.getLogger(__name__)

TAILLE = 100  # dossiers per chunk: one transaction, its locks held for its length


@dataclass
class Demande:
    """One dossier to move: as change_status's arguments (`attendu`: the statut the
    agent saw)."""

    dossier: Dossier
    statut: Statut
    attendu: Statut | None = None


@dataclass
class Issue:
    """What became of a demande: its change, or the error change_status raised (a
    ValidationError for a refusal; anything else is the caller's to report or raise)."""

    demande: Demande
    changement: ChangementStatut | None = None
    erreur: Exception | None = None


def statut_changer_lot(*, demandes: list[Demande], by, reason: str = "") -> list[Issue]:
    """Move each demande's dossier to its statut, by chunks of TAILLE (each its own
    transaction, or savepoint inside the caller's); one Issue per demande, in order.
    `by` and `reason` are the same for all, as change_status's."""
    issues: list[Issue] = []
    for debut in range(0, len(demandes), TAILLE):
        issues += _tranche(demandes[debut : debut + TAILLE], by, reason)
    return issues


def _tranche(demandes: list[Demande], by, reason: str) -> list[Issue]:
    try:
        with transaction.atomic():
            issues = _appliquer(demandes, by, reason)
    except Exception:  # noqa: BLE001 - redone one by one: change_status tells which one fails
        logger.info("Chunk of %s dossiers redone one by one", len(demandes), exc_info=True)
        issues = [None] * len(demandes)
    return [
        issue or _seule(demande, by, reason)
        for demande, issue in zip(demandes, issues, strict=True)
    ]


def _seule(demande: Demande, by, reason: str) -> Issue:
    try:
        changement = services.change_status(
            dossier=demande.dossier,
            statut=demande.statut,
            by=by,
            reason=reason,
            attendu=demande.attendu,
        )
    except Exception as erreur:  # noqa: BLE001 - the caller reports it (or raises it)
        return Issue(demande, erreur=erreur)
    return Issue(demande, changement=changement)


@dataclass
class _Ligne:
    rang: int  # in the demandes
    dossier: Dossier  # the locked copy, read afresh
    suivi: SuiviInstruction
    de: Statut
    changement: ChangementStatut | None = None


def _appliquer(demandes: list[Demande], by, reason: str) -> list[Issue | None]:
    """The chunk in the caller's transaction: an Issue per dossier applied or refused,
    None for those to move alone."""
    reason = (reason or "").strip()
    issues: list[Issue | None] = [None] * len(demandes)
    premiers: dict[int, int] = {}
    for rang, demande in enumerate(demandes):
        premiers.setdefault(demande.dossier.pk, rang)  # named twice: the others alone
    lus = _verrouiller_lot(sorted(premiers))
    rangs = [r for pk, r in premiers.items() if pk in lus]  # no suivi: alone
    courants = _statuts_courants(
        {(lus[demandes[r].dossier.pk][1].statut_id, demandes[r].statut.pk) for r in rangs}
    )
    cibles = {demandes[r].statut.pk: demandes[r].statut for r in rangs}
    actions_de = _actions_et_etapes([demandes[r].statut for r in rangs])
    par_lot = {pk: _par_lot(liste) for pk, liste in actions_de.items()}
    a_faire: list[_Ligne] = []
    for rang in rangs:
        demande = demandes[rang]
        dossier, suivi = lus[demande.dossier.pk]
        de = courants[(suivi.statut_id, demande.statut.pk)]
        suivi.statut = de  # as change_status's `_statut_courant` leaves it
        refus = services._refus_avant(suivi, demande.statut, demande.attendu)
        refus = refus or services._refus_apres(suivi, de, demande.statut, reason, permis=False)
        if refus:
            issues[rang] = Issue(demande, erreur=refus)
        elif par_lot[demande.statut.pk]:
            a_faire.append(_Ligne(rang, dossier, suivi, de))
    if not a_faire:
        return issues

    maintenant = timezone.now()
    _ecrire_changements(a_faire, demandes, by, reason, maintenant)
    cycles = [
        ligne.dossier
        for ligne in a_faire
        if services._cycle_changer(ligne.dossier, demandes[ligne.rang].statut, maintenant)
    ]
    lignes.ecrire_lot(cycles, ["statut", "clos_le", "updated_at"])
    for ligne in a_faire:
        selectors.memoriser(ligne.dossier, ligne.suivi)

    _executer_actions(a_faire, demandes, actions_de, cibles, by, reason)

    notifier_lot(
        services.EVENEMENT_STATUT,
        _evenements(
            [x for x in a_faire if cibles[demandes[x.rang].statut.pk].libelle_usager], demandes
        ),
    )
    _rafraichir_appelants(a_faire, demandes)
    for ligne in a_faire:
        issues[ligne.rang] = Issue(demandes[ligne.rang], changement=ligne.changement)
    return issues


def _executer_actions(a_faire: list[_Ligne], demandes, actions_de, cibles, by, reason) -> None:
    """Each dossier's actions in its statut's order, set-based: in rounds — the first
    action of every dossier, then the second… — each round's dossiers grouped by the
    action's type and config, whatever their statut (a selection spanning several guide
    versions, whose statuts of the same code carry the same actions, makes one group per
    round, not one per version). Every dossier thus runs its actions in order; each
    keeps its own context (its statut, its change)."""
    contextes = {
        ligne.rang: actions.Contexte(
            par=by,
            statut=cibles[demandes[ligne.rang].statut.pk],
            changement=ligne.changement,
            motif=reason,
        )
        for ligne in a_faire
    }
    tour = 0
    while True:
        groupes: dict[tuple[str, str], tuple[ActionStatut, list[_Ligne]]] = {}
        for ligne in a_faire:
            liste = actions_de[demandes[ligne.rang].statut.pk]
            if tour < len(liste):
                action = liste[tour]
                cle = (action.type, json.dumps(action.config, sort_keys=True))
                groupes.setdefault(cle, (action, []))[1].append(ligne)
        if not groupes:
            return
        for action, membres in groupes.values():
            actions.type_action(action.type)().executer_lot(
                [m.dossier for m in membres], action.config, [contextes[m.rang] for m in membres]
            )
        tour += 1


def _verrouiller_lot(pks: list[int]) -> dict[int, tuple[Dossier, SuiviInstruction]]:
    """The dossiers and their suivis, locked in the dossiers' id order and read afresh in
    one statement (change_status's `_verrouiller` for many: joined on the dossier's id
    only, which never changes). A dossier without suivi is not there."""
    db = router.db_for_write(Dossier)
    with connections[db].cursor() as cursor:
        cursor.execute(_sql_verrouiller_lot(), [pks])
        rangees = cursor.fetchall()
    n = len(Dossier._meta.concrete_fields)
    dossiers = lignes.instances(Dossier, [r[:n] for r in rangees], db)
    suivis = lignes.instances(SuiviInstruction, [r[n:] for r in rangees], db)
    return {d.pk: (d, s) for d, s in zip(dossiers, suivis, strict=True)}


@functools.cache
def _sql_verrouiller_lot() -> str:
    return f"""
        SELECT {lignes.colonnes(Dossier, "d")}, {lignes.colonnes(SuiviInstruction, "s")}
          FROM {Dossier._meta.db_table} d
          JOIN {SuiviInstruction._meta.db_table} s ON s.dossier_id = d.id
         WHERE d.id = ANY(%s::bigint[])
         ORDER BY d.id
           FOR UPDATE OF d, s"""  # noqa: S608 - names from the models, values bound


def _statuts_courants(paires: set[tuple[int, int]]) -> dict[tuple[int, int], Statut]:
    """For each (current statut, target): the current statut with the answer of
    `_statut_courant` (`vers_permis`, `suivants_libres`), in one query for the chunk."""
    if not paires:
        return {}
    courants, vers = zip(*sorted(paires), strict=True)
    db = router.db_for_read(Statut)
    with connections[db].cursor() as cursor:
        cursor.execute(_sql_statuts_courants(), [list(courants), list(vers)])
        rangees = cursor.fetchall()
    noms = [f.attname for f in Statut._meta.concrete_fields]
    resultat = {}
    for rangee in rangees:
        statut = Statut.from_db(db, noms, rangee[1:-2])
        statut.vers_permis, statut.suivants_libres = rangee[-2], rangee[-1]
        resultat[(statut.pk, rangee[0])] = statut
    return resultat


@functools.cache
def _sql_statuts_courants() -> str:
    lien = Statut.suivants.through._meta.db_table
    return f"""
        SELECT p.vers, {lignes.colonnes(Statut, "c")},
               EXISTS (SELECT 1 FROM {lien} l
                        WHERE l.from_statut_id = c.id AND l.to_statut_id = p.vers),
               NOT EXISTS (SELECT 1 FROM {lien} l WHERE l.from_statut_id = c.id)
          FROM UNNEST(%s::bigint[], %s::bigint[]) AS p(courant, vers)
          JOIN {Statut._meta.db_table} c ON c.id = p.courant"""  # noqa: S608 - names from the models, values bound


def _actions_et_etapes(statuts: list[Statut]) -> dict[int, list[ActionStatut]]:
    """The target statuts' actions in order (as `_statut_courant` reads them), and each
    target's étape kept on it (the échéance, the sort key, the mails' context)."""
    pks = {s.pk for s in statuts}
    resultat: dict[int, list[ActionStatut]] = {pk: [] for pk in pks}
    for action in ActionStatut.objects.filter(statut_id__in=pks).order_by(
        "statut_id", "ordre", "pk"
    ):
        resultat[action.statut_id].append(action)
    champ = Statut._meta.get_field("etape")
    sans = [s for s in statuts if not champ.is_cached(s)]
    if sans:
        etapes = Etape.objects.in_bulk({s.etape_id for s in sans})
        for statut in sans:
            champ.set_cached_value(statut, etapes[statut.etape_id])
    return resultat


def _par_lot(liste: list[ActionStatut]) -> bool:
    """Every action of the statut has a set-based path for its config."""
    for action in liste:
        type_ = actions.type_action(action.type)
        if type_ is None or not type_().par_lot(action.config):
            return False
    return True


def _ecrire_changements(a_faire: list[_Ligne], demandes, by, reason: str, maintenant) -> None:
    """change_status's `_ecrire_changement` for the chunk: the suivis' new places, the
    dossiers' sort keys, the changes and their history lines in one statement."""
    changements, historiques = [], []
    for ligne in a_faire:
        statut, suivi, dossier = demandes[ligne.rang].statut, ligne.suivi, ligne.dossier
        if statut.etape_id != ligne.de.etape_id:
            suivi.etape_entree_le = maintenant
        suivi.statut, suivi.entre_le = statut, maintenant
        suivi.echeance = suivi.calculer_echeance()
        dossier.tri_echeance = suivi.echeance or SANS_ECHEANCE
        dossier.tri_avancement, dossier.tri_statut = suivi.rang(), suivi.statut_id
        ligne.changement = ChangementStatut(
            dossier=dossier, de=ligne.de, vers=statut, par=by, motif=reason, le=maintenant
        )
        changements.append(ligne.changement)
        historiques.append(
            services._ligne_historique(dossier, by, statut, ligne.changement, reason)
        )
    suivi_sql, suivi_valeurs = lignes.mise_a_jour_lot(
        [x.suivi for x in a_faire], ["statut", "entre_le", "etape_entree_le", "echeance"]
    )
    tri_sql, tri_valeurs = lignes.mise_a_jour_lot(
        [x.dossier for x in a_faire], ["tri_echeance", "tri_avancement", "tri_statut"]
    )
    db = router.db_for_write(SuiviInstruction)
    rangees = services.ecrire_ensemble(
        db,
        (suivi_sql, suivi_valeurs),
        (tri_sql, tri_valeurs),
        lignes.insertion_lot(historiques),
        lignes.insertion_lot(changements),
    )
    pks = [pk for (pk,) in rangees]
    # In the arrays' order, as lignes.inserer_lot.
    for changement, pk in zip(changements, pks, strict=True):
        changement.pk = pk
        changement._state.adding, changement._state.db = False, db


def _evenements(a_notifier: list[_Ligne], demandes):
    """`_notifier`'s arguments for each dossier entering a statut with a citizen label,
    computed only when the event has templates (notifier_lot asks first)."""
    services.charger_lies_lot([x.dossier for x in a_notifier])
    for ligne in a_notifier:
        dossier, statut = ligne.dossier, demandes[ligne.rang].statut
        yield {
            "contexte": services.contexte_notification(dossier, statut),
            "email": services.destinataire(dossier),
            "usager": dossier.cree_par,
            "concerne": dossier,
            "lien": reverse("portal:dossier", args=[dossier.pk]),
            "cle": f"{services.EVENEMENT_STATUT}:{ligne.changement.pk}",
        }


_CHAMPS_APPELANT = ("statut", "clos_le", "donnees", "agent", "updated_at")


def _rafraichir_appelants(a_faire: list[_Ligne], demandes) -> None:
    """As change_status ends: each caller's copy reads afresh what the change and its
    actions wrote (one query for the chunk) and remembers its suivi."""
    champs = [Dossier._meta.get_field(nom) for nom in _CHAMPS_APPELANT]
    frais = {
        rangee[0]: rangee[1:]
        for rangee in Dossier.objects.filter(pk__in=[x.dossier.pk for x in a_faire]).values_list(
            "pk", *(c.attname for c in champs)
        )
    }
    for ligne in a_faire:
        appelant = demandes[ligne.rang].dossier
        for champ, valeur in zip(champs, frais[appelant.pk], strict=True):
            changee = getattr(appelant, champ.attname) != valeur
            if champ.is_relation and changee and champ.is_cached(appelant):
                champ.delete_cached_value(appelant)
            setattr(appelant, champ.attname, valeur)
        selectors.memoriser(appelant, ligne.suivi)
