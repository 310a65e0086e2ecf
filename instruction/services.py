"""The verbs of instruction (I1–I3): publish a guide version, put a filed dossier in its
initial statut, and `change_status` — the one way a dossier's statut changes."""

from __future__ import annotations

import functools
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, router, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common import lignes
from dossiers import editique as dossiers_editique
from dossiers.models import Dossier, Historique
from dossiers.models.dossiers import SANS_ECHEANCE
from instruction import actions, selectors
from instruction.models import (
    RANG_ETAPE,
    ActionStatut,
    ChangementStatut,
    Etape,
    Minuteur,
    PassageCasTest,
    Statut,
    SuiviInstruction,
    VersionGuide,
)
from notifications.services import notifier

logger = logging.getLogger(__name__)

EVENEMENT_STATUT = "dossier.statut_change"


# --- Guide versions ---------------------------------------------------------------------


def version_publier(*, version: VersionGuide, par=None, forcer: bool = False) -> VersionGuide:
    """Make `version` the one new deposits enter; the one published before is archived
    (dossiers already in it keep it). Refused without exactly one initial statut, and
    while one of its test cases fails (I9, run first, by `par`) unless `forcer`."""
    if version.etat != VersionGuide.Etat.PUBLIEE:
        from instruction import essais

        essais.publication_verifier(version, par=par, forcer=forcer)
    return _version_publier(version)


@transaction.atomic
def _version_publier(version: VersionGuide) -> VersionGuide:
    version = VersionGuide.objects.select_for_update().get(pk=version.pk)
    if version.etat == VersionGuide.Etat.PUBLIEE:
        return version
    if not version.statuts.filter(initial=True).exists():
        raise ValidationError(_("Désignez le statut initial avant de publier ce guide."))
    VersionGuide.objects.filter(guide=version.guide_id, etat=VersionGuide.Etat.PUBLIEE).update(
        etat=VersionGuide.Etat.ARCHIVEE
    )
    version.etat = VersionGuide.Etat.PUBLIEE
    version.publiee_le = timezone.now()
    version.save(update_fields=["etat", "publiee_le", "updated_at"])
    return version


@transaction.atomic
def version_copier(*, version: VersionGuide) -> VersionGuide:
    """A new draft, copy of `version` (étapes, statuts, allowed next statuts, actions,
    timers, test cases):
    the way to change a published guide without touching the dossiers already in it."""
    numero = (
        version.guide.versions.order_by("-numero").values_list("numero", flat=True).first() or 0
    ) + 1
    copie = VersionGuide.objects.create(guide=version.guide, numero=numero)
    statuts: dict[int, Statut] = {}
    for etape in version.etapes.prefetch_related("statuts__actions"):
        anciens = list(etape.statuts.all())
        etape.pk, etape.version = None, copie
        etape.save()
        for statut in anciens:
            actions_statut = list(statut.actions.all())
            ancien_pk = statut.pk
            statut.pk, statut.etape = None, etape
            statut.save()
            statuts[ancien_pk] = statut
            for action in actions_statut:
                action.pk, action.statut = None, statut
                action.save()
    for ancien in Statut.objects.filter(version=version).prefetch_related("suivants"):
        statuts[ancien.pk].suivants.set([statuts[s.pk] for s in ancien.suivants.all()])
    # The timers too (I8); déclencheurs stay on their version: they apply to every
    # version of the guide by statut code.
    for minuteur in Minuteur.objects.filter(statut__version=version):
        statut_id, cible_id = minuteur.statut_id, minuteur.cible_id
        minuteur.pk, minuteur.statut = None, statuts[statut_id]
        minuteur.cible = statuts[cible_id] if cible_id else None
        minuteur.save()
    # The test cases (I9) name statuts by code, so they hold for the copy as they are;
    # their last results belong to the old version and are not copied.
    for cas in version.cas_tests.prefetch_related("passages"):
        passages = list(cas.passages.all())
        cas.pk, cas.version = None, copie
        cas.lance_le, cas.reussi, cas.rapport = None, None, {}
        cas.save()
        for passage in passages:
            passage.pk, passage.cas = None, cas
        PassageCasTest.objects.bulk_create(passages)
    return copie


def version_publiee(dispositif_id: int) -> VersionGuide | None:
    return VersionGuide.objects.filter(
        guide__dispositif_id=dispositif_id, etat=VersionGuide.Etat.PUBLIEE
    ).first()


# --- Entering the guide -----------------------------------------------------------------


def dossier_entrer(
    *, dossier: Dossier, version: VersionGuide | None = None
) -> SuiviInstruction | None:
    """Put a just-filed dossier in the initial statut of its dispositif's published guide
    (none: the dossier follows its life cycle only). Called on `dossier_depose`, inside
    the deposit's transaction; runs the initial statut's actions. `version`: another
    version of the guide (a draft's test cases, instruction.essais)."""
    version = version or version_publiee(dossier.dispositif_id)
    if version is None:
        return None
    statut = version.statuts.select_related("etape").filter(initial=True).first()
    if statut is None:
        return None
    maintenant = timezone.now()
    suivi, cree = SuiviInstruction.objects.get_or_create(
        dossier=dossier,
        defaults={
            "version": version,
            "statut": statut,
            "entre_le": maintenant,
            "etape_entree_le": maintenant,
        },
    )
    if cree:
        suivi.echeance = suivi.calculer_echeance()
        suivi.save(update_fields=["echeance"])
        _cles_de_tri(suivi)
        changement = ChangementStatut.objects.create(
            dossier=dossier, de=None, vers=statut, le=maintenant
        )
        _historique(dossier, None, statut, changement, "")
        _executer_actions(dossier, statut, changement, par=None, motif="")
    return suivi


def echeances_recalculer(*, dossier_ids: list[int] | None = None) -> int:
    """Recompute `SuiviInstruction.echeance` in one UPDATE (the rule of
    `calculer_echeance`, in SQL) for these dossiers, or all: after a bulk write of
    `etape_entree_le` that bypassed change_status (demo, benchmark, data repair)."""
    suivis = SuiviInstruction.objects.all()
    if dossier_ids is not None:
        suivis = suivis.filter(dossier_id__in=dossier_ids)
    # An UPDATE takes no joins: the statut's rule comes as a subquery (NULL: no row).
    echeance = (
        Statut.objects.filter(
            pk=OuterRef("statut_id"), cloture=False, etape__duree_cible__isnull=False
        )
        .annotate(
            e=ExpressionWrapper(
                OuterRef("etape_entree_le") + (F("etape__duree_cible") + 1) * timedelta(days=1),
                output_field=DateTimeField(),
            )
        )
        .values("e")[:1]
    )
    nombre = suivis.update(echeance=Subquery(echeance))
    # … and the dossiers' sort keys, from the suivis just written.
    dossiers = Dossier.objects.filter(suivi_instruction__isnull=False)
    if dossier_ids is not None:
        dossiers = dossiers.filter(pk__in=dossier_ids)
    suivi = SuiviInstruction.objects.filter(dossier_id=OuterRef("pk"))
    dossiers.update(
        tri_echeance=Coalesce(Subquery(suivi.values("echeance")[:1]), Value(SANS_ECHEANCE)),
        tri_avancement=Subquery(
            suivi.annotate(
                r=F("statut__etape__ordre") * RANG_ETAPE + F("statut__ordre") + 1
            ).values("r")[:1]
        ),
        tri_statut=Subquery(suivi.values("statut_id")[:1]),
    )
    return nombre


# The table's name from the model, values bound.
_SQL_TRI = (
    f"UPDATE {Dossier._meta.db_table} "  # noqa: S608
    "SET tri_echeance = %s, tri_avancement = %s, tri_statut = %s WHERE id = %s"
)


def _sql_cles_de_tri(suivi: SuiviInstruction) -> tuple[str, list]:
    """The dossier's copies of its state for the CRM list's sorts and its « Statut » and
    « Étape » filters (Dossier.tri_*): the UPDATE and its values, run alone
    (`_cles_de_tri`) or inside change_status's one statement (`_ecrire_changement`)."""
    valeurs = [suivi.echeance or SANS_ECHEANCE, suivi.rang(), suivi.statut_id, suivi.dossier_id]
    return _SQL_TRI, valeurs


def _cles_de_tri(suivi: SuiviInstruction) -> None:
    with connections[router.db_for_write(Dossier)].cursor() as cursor:
        cursor.execute(*_sql_cles_de_tri(suivi))


def on_dossier_depose(sender, *, dossier, user, **kwargs) -> None:
    dossier_entrer(dossier=dossier)


# --- change_status ----------------------------------------------------------------------


def statuts_suivants(suivi: SuiviInstruction, *, manuel: bool = True) -> list[Statut]:
    """The statuts the dossier may go to from its current one (`manuel`: without those
    hidden from the agents' choice)."""
    courant = suivi.statut
    permis = list(courant.suivants.select_related("etape").all())
    if not permis:
        permis = list(
            Statut.objects.filter(version=suivi.version_id)
            .exclude(pk=courant.pk)
            .select_related("etape")
        )
    return [s for s in permis if s.pk != courant.pk and not (manuel and s.masque)]


@transaction.atomic
def change_status(
    *,
    dossier: Dossier,
    statut: Statut,
    by,
    reason: str = "",
    attendu: Statut | None = None,
    retour: bool = False,
    regle: bool = False,
) -> ChangementStatut:
    """Move the dossier to `statut`: checks it belongs to the dossier's guide version and
    that the current statut allows it, then writes the change and a history line, runs the
    statut's actions in order and raises `dossier.statut_change` (the outbox hands mails
    to workers once this commits). Everything in one transaction: any refusal or failing
    action leaves nothing behind. `attendu` is the statut the agent saw: if another agent
    moved the dossier meanwhile, refused (the row lock makes the second one wait and see
    the first one's change). `retour`: back to the previous statut
    (services_retour.retour_statut_precedent), allowed whatever the next statuts are, as
    is a change a rule of the guide itself makes (`regle`: a timer, a déclencheur)."""
    reason = (reason or "").strip()
    # The dossier's row first, as every writer of a dossier does (dossier_modifier,
    # the gestion services), then its state: one lock order, no deadlock; the actions
    # write on this fresh copy. Both locked in one statement joined on the dossier's id
    # alone (`_verrouiller`): after waiting for another agent's lock, PostgreSQL
    # re-checks the new row versions against the join, which a join on the statut
    # would fail (the row dropped).
    appelant = dossier
    dossier, suivi = _verrouiller(appelant.pk)
    if suivi is None:
        raise ValidationError(
            _("Ce dossier ne suit pas de guide d’instruction."), code="sans_guide"
        )
    if refus := _refus_avant(suivi, statut, attendu):
        raise refus
    de = _statut_courant(suivi, statut)
    if refus := _refus_apres(suivi, de, statut, reason, permis=retour or regle):
        raise refus

    maintenant = timezone.now()
    if statut.etape_id != de.etape_id:
        suivi.etape_entree_le = maintenant
    suivi.statut, suivi.entre_le = statut, maintenant
    suivi.echeance = suivi.calculer_echeance()
    changement = ChangementStatut(
        dossier=dossier, de=de, vers=statut, par=by, motif=reason, le=maintenant, retour=retour
    )
    historique = _ligne_historique(dossier, by, statut, changement, reason)
    _ecrire_changement(dossier, suivi, changement, historique)
    _cycle(dossier, statut, maintenant)
    selectors.memoriser(dossier, suivi)
    _executer_actions(dossier, statut, changement, par=by, motif=reason, liste=de.actions_vers)
    # An action may have moved the dossier on (« sauter »): its nested change remembered
    # on this copy where the dossier ended.
    suivi = selectors.suivi_de(dossier)
    if statut.libelle_usager:
        _notifier(dossier, statut, changement)
    # The caller's copy sees what the change and its actions wrote (an action from a
    # module may write with `update()`: read afresh, not copied from ours).
    lignes.rafraichir(appelant, champs=["statut", "clos_le", "donnees", "agent", "updated_at"])
    selectors.memoriser(appelant, suivi)
    return changement


def _refus_avant(suivi, statut: Statut, attendu: Statut | None) -> ValidationError | None:
    """Why the change is refused before the current statut is read (None: it is not):
    another agent's change, a statut of another guide, the same statut. Shared with the
    set-based path (services_statut_lot): the same messages."""
    if attendu is not None and suivi.statut_id != attendu.pk:
        return ValidationError(
            _(
                "Un autre agent vient de changer le statut de ce dossier (il est maintenant "
                "« %(statut)s ») : vérifiez-le avant de choisir le suivant."
            )
            % {"statut": suivi.statut.libelle},
            code="concurrence",
        )
    if statut.version_id != suivi.version_id:
        return ValidationError(
            {"statut": _("Ce statut n’appartient pas au guide d’instruction de ce dossier.")},
            code="autre_guide",
        )
    if statut.pk == suivi.statut_id:
        return ValidationError({"statut": _("Le dossier a déjà ce statut.")}, code="identique")
    return None


def _refus_apres(
    suivi, de: Statut, statut: Statut, reason: str, *, permis: bool
) -> ValidationError | None:
    """Why the change is refused once the current statut `de` is read with its answer to
    « may it go to `statut`? » (`_statut_courant`): the transition, the reason required.
    `permis`: a return or a rule of the guide, whatever the next statuts are."""
    if not (permis or de.vers_permis or de.suivants_libres):
        return ValidationError(
            {
                "statut": _("Le guide ne permet pas de passer de « %(de)s » à « %(vers)s ».")
                % {"de": suivi.statut.libelle, "vers": statut.libelle}
            },
            code="transition",
        )
    if statut.motif_obligatoire and not reason:
        return ValidationError({"motif": _("Indiquez le motif de ce changement.")}, code="motif")
    return None


def _verrouiller(pk) -> tuple[Dossier, SuiviInstruction | None]:
    """The dossier's row and its suivi's, locked in this order, read afresh in one
    statement (its text built once). Joined on the dossier's id only, which never
    changes: after waiting for another agent's locks PostgreSQL re-reads both rows and
    the join still holds (a join on the statut would drop the row)."""
    db = router.db_for_write(Dossier)
    connection = connections[db]
    with connection.cursor() as cursor:
        cursor.execute(_sql_verrouiller(), [pk])
        ligne = cursor.fetchone()
    if ligne is None:  # no suivi (or no dossier: DoesNotExist, as before)
        return lignes.lire(Dossier, pk, verrou=True), None
    n = len(Dossier._meta.concrete_fields)
    (dossier,) = lignes.instances(Dossier, [ligne[:n]], db)
    (suivi,) = lignes.instances(SuiviInstruction, [ligne[n:]], db)
    return dossier, suivi


@functools.cache
def _sql_verrouiller() -> str:
    return f"""
        SELECT {lignes.colonnes(Dossier, "d")}, {lignes.colonnes(SuiviInstruction, "s")}
          FROM {Dossier._meta.db_table} d
          JOIN {SuiviInstruction._meta.db_table} s ON s.dossier_id = d.id
         WHERE d.id = %s
           FOR UPDATE OF d, s"""  # noqa: S608 - names from the models, value bound


def _ecrire_changement(dossier, suivi, changement, historique) -> None:
    """The suivi's new place, the dossier's sort keys (`_cles_de_tri`), the change and
    its history line in one statement (one round trip: their four statements built
    through the ORM cost more CPU than running them); the triggers on these tables
    (journal, dashboard counters) fire as for four."""
    suivi_sql, suivi_valeurs = lignes.mise_a_jour(
        suivi, ["statut", "entre_le", "etape_entree_le", "echeance"]
    )
    tri_sql, tri_valeurs = _sql_cles_de_tri(suivi)
    db = router.db_for_write(SuiviInstruction)
    ((changement.pk,),) = ecrire_ensemble(
        db,
        (suivi_sql, suivi_valeurs),
        (tri_sql, tri_valeurs),
        lignes.insertion(historique),
        lignes.insertion(changement),
    )
    changement._state.adding, changement._state.db = False, db


def ecrire_ensemble(db: str, suivis, tris, historiques, changements) -> list[tuple]:
    """The suivis' update, the dossiers' sort keys, the history lines and the changes —
    each (sql, values) — as one statement; the changes' ids returned in their order.
    Shared by change_status and its chunk (services_statut_lot)."""
    (suivi_sql, suivi_valeurs), (tri_sql, tri_valeurs) = suivis, tris
    (historique_sql, historique_valeurs), (changement_sql, changement_valeurs) = (
        historiques,
        changements,
    )
    with connections[db].cursor() as cursor:
        cursor.execute(
            f"WITH s AS ({suivi_sql}), d AS ({tri_sql}), h AS ({historique_sql}) " + changement_sql,
            [*suivi_valeurs, *tri_valeurs, *historique_valeurs, *changement_valeurs],
        )
        return cursor.fetchall()


def _statut_courant(suivi: SuiviInstruction, statut: Statut) -> Statut:
    """The dossier's current statut (kept as `suivi.statut`), read with the answer to
    « may it go to `statut`? » in the same query: `vers_permis` (`statut` is among its
    allowed next statuts) or `suivants_libres` (it lists none: any statut of the version,
    which change_status has checked). The rule of `statuts_suivants(manuel=False)`, the
    statut's version and « not the same statut » checked by the caller.

    The same query brings what the change then needs of `statut`: its étape (the
    échéance, the sort key, the mails' context), kept on `statut`, and its actions in
    order (`actions_vers` on the statut returned, each keeping `statut`). One
    hand-written query, its text built once per process."""
    if suivi.statut_id == statut.pk:  # « déjà ce statut »: the caller's copy suffices
        return suivi.statut
    db = router.db_for_read(Statut)
    with connections[db].cursor() as cursor:
        cursor.execute(_sql_statut_courant(), {"courant": suivi.statut_id, "vers": statut.pk})
        ligne = cursor.fetchone()
    if ligne is None:
        raise Statut.DoesNotExist(f"Statut {suivi.statut_id} does not exist.")
    n_statut, n_etape = len(_COLONNES_STATUT), len(_COLONNES_ETAPE)
    courant = Statut.from_db(db, _COLONNES_STATUT, ligne[:n_statut])
    courant.vers_permis, courant.suivants_libres = ligne[n_statut], ligne[n_statut + 1]
    etape = ligne[n_statut + 2 : n_statut + 2 + n_etape]
    champ_etape = Statut._meta.get_field("etape")
    if not champ_etape.is_cached(statut) and etape[0] == statut.etape_id:
        champ_etape.set_cached_value(statut, Etape.from_db(db, _COLONNES_ETAPE, etape))
    courant.actions_vers = []
    actions_json = ligne[-1] or []  # `json` (not jsonb): decoded by psycopg
    if isinstance(actions_json, str):
        actions_json = json.loads(actions_json)
    for pk, ordre, type_, config in actions_json:
        action = ActionStatut(pk=pk, statut=statut, ordre=ordre, type=type_, config=config)
        action._state.adding, action._state.db = False, db
        courant.actions_vers.append(action)
    suivi.statut = courant
    return courant


_COLONNES_STATUT = [f.attname for f in Statut._meta.concrete_fields]
_COLONNES_ETAPE = [f.attname for f in Etape._meta.concrete_fields]


@functools.cache
def _sql_statut_courant() -> str:
    qn = connection.ops.quote_name
    lien = Statut.suivants.through._meta.db_table
    return f"""
        SELECT {", ".join(f"c.{qn(f.column)}" for f in Statut._meta.concrete_fields)},
               EXISTS (SELECT 1 FROM {lien} l
                        WHERE l.from_statut_id = c.id AND l.to_statut_id = %(vers)s),
               NOT EXISTS (SELECT 1 FROM {lien} l WHERE l.from_statut_id = c.id),
               {", ".join(f"e.{qn(f.column)}" for f in Etape._meta.concrete_fields)},
               (SELECT json_agg(json_build_array(a.id, a.ordre, a.type, a.config)
                                ORDER BY a.ordre, a.id)
                  FROM {ActionStatut._meta.db_table} a WHERE a.statut_id = %(vers)s)
          FROM {Statut._meta.db_table} c
          LEFT JOIN {Statut._meta.db_table} v ON v.id = %(vers)s
          LEFT JOIN {Etape._meta.db_table} e ON e.id = v.etape_id
         WHERE c.id = %(courant)s"""  # noqa: S608 - names from the models, values bound


def _cycle(dossier: Dossier, statut: Statut, maintenant) -> None:
    if _cycle_changer(dossier, statut, maintenant):
        dossier.save(update_fields=["statut", "clos_le", "updated_at"])


def _cycle_changer(dossier: Dossier, statut: Statut, maintenant) -> bool:
    """A closing statut closes the dossier; leaving one reopens it: set on `dossier`,
    True when it changed (the caller writes it)."""
    if statut.cloture and dossier.statut != Dossier.Statut.CLOS:
        dossier.statut, dossier.clos_le = Dossier.Statut.CLOS, maintenant
    elif not statut.cloture and dossier.statut == Dossier.Statut.CLOS:
        dossier.statut, dossier.clos_le = Dossier.Statut.DEPOSE, None
    else:
        return False
    return True


def _historique(dossier, par, statut: Statut, changement: ChangementStatut, motif: str) -> None:
    _ligne_historique(dossier, par, statut, changement, motif).save()


def _ligne_historique(
    dossier, par, statut: Statut, changement: ChangementStatut, motif: str
) -> Historique:
    """One line for agents (the agent label), visible to the citizen with the citizen
    label when the statut has one."""
    return Historique(
        dossier=dossier,
        quand=changement.le,
        par=par,
        nature=Historique.Nature.STATUT,
        libelle=(statut.libelle_usager or _("Statut : %(statut)s") % {"statut": statut.libelle})[
            :300
        ],
        visible_usager=bool(statut.libelle_usager),
        details={
            "de": changement.de.libelle if changement.de else "",
            "vers": statut.libelle,
            "statut": statut.code,
            **({"motif": motif} if motif else {}),
        },
    )


def _actions_de(statut: Statut) -> list:
    """The statut's actions in order, read with the statut's étape (the mails' context
    names it) in the same query, which `statut` then keeps."""
    liste = list(statut.actions.select_related("statut__etape"))
    champ = Statut._meta.get_field("etape")
    if liste and not champ.is_cached(statut):
        champ.set_cached_value(statut, liste[0].statut.etape)
    return liste


def _executer_actions(
    dossier, statut: Statut, changement, *, par, motif: str, liste: list | None = None
) -> None:
    """`liste`: the statut's actions already read (change_status reads them with the
    transition check)."""
    contexte = actions.Contexte(par=par, statut=statut, changement=changement, motif=motif)
    if liste is None:
        liste = _actions_de(statut)
    if not liste:
        return
    # The services actions call keep their own savepoints (4 SAVEPOINT/RELEASE pairs
    # with the five built-in types): an action may catch a service's refusal and go on
    # (« usager » notes an incomplete record instead of refusing the change), which a
    # transaction without them could not survive.
    for action in liste:
        _executer_action(dossier, statut, action, contexte)


def _executer_action(dossier, statut: Statut, action, contexte) -> None:
    type_ = actions.type_action(action.type)
    if type_ is None:
        raise ValidationError(
            _("Le statut « %(statut)s » a une action de type inconnu « %(type)s ».")
            % {"statut": statut.libelle, "type": action.type}
        )
    try:
        type_().executer(dossier, action.config, contexte)
    except ValidationError as error:
        raise ValidationError(
            _("L’action « %(action)s » a échoué : %(erreur)s")
            % {"action": type_.libelle, "erreur": " ".join(error.messages)},
            code="action",
        ) from error
    except Exception as error:
        logger.exception("Dossier %s: action %s failed", dossier.pk, action.pk)
        raise ValidationError(
            _("L’action « %(action)s » a échoué ; rien n’a été modifié.")
            % {"action": type_.libelle},
            code="action",
        ) from error


# --- Notification -----------------------------------------------------------------------


_LIES_ENVOI = ("cree_par", "demandeur_individu", "demandeur_profil", "dispositif")


def _charger_lies(dossier: Dossier) -> None:
    """The author, the demandeur (individu, profil) and the dispositif a mail to the
    citizen names, read in one hand-written query by their keys (change_status locks the
    dossier's row alone, so none of them is loaded yet; the ORM's join of the four cost
    more CPU to build than to run). Each kept only if still missing."""
    champs = [Dossier._meta.get_field(nom) for nom in _LIES_ENVOI]
    manquants = [
        c for c in champs if not c.is_cached(dossier) and getattr(dossier, c.attname) is not None
    ]
    if not manquants:
        return
    db = router.db_for_read(Dossier)
    with connections[db].cursor() as cursor:
        cursor.execute(_sql_lies(), [getattr(dossier, c.attname) for c in champs])
        ligne = cursor.fetchone()
    debut = 0
    for champ in champs:
        modele = champ.related_model
        n = len(modele._meta.concrete_fields)
        valeurs, debut = ligne[debut : debut + n], debut + n
        cle = valeurs[modele._meta.concrete_fields.index(modele._meta.pk)]
        if champ in manquants and cle is not None:  # None: gone, its lazy read says so
            (lu,) = lignes.instances(modele, [valeurs], db)
            champ.set_cached_value(dossier, lu)


def charger_lies_lot(dossiers: list[Dossier]) -> None:
    """`_charger_lies` of a chunk of dossiers (services_statut_lot): the same joins by
    key, for all of them in one query (the keys as arrays, one row per dossier), each
    relation kept only if still missing."""
    champs = [Dossier._meta.get_field(nom) for nom in _LIES_ENVOI]
    a_lire = [
        d
        for d in dossiers
        if any(not c.is_cached(d) and getattr(d, c.attname) is not None for c in champs)
    ]
    if not a_lire:
        return
    db = router.db_for_read(Dossier)
    with connections[db].cursor() as cursor:
        cursor.execute(_sql_lies_lot(), [[getattr(d, c.attname) for d in a_lire] for c in champs])
        rangees = cursor.fetchall()
    for dossier, rangee in zip(a_lire, rangees, strict=True):
        debut = 1  # after the rank
        for champ in champs:
            modele = champ.related_model
            n = len(modele._meta.concrete_fields)
            valeurs, debut = rangee[debut : debut + n], debut + n
            cle = valeurs[modele._meta.concrete_fields.index(modele._meta.pk)]
            if cle is not None and not champ.is_cached(dossier):
                (lu,) = lignes.instances(modele, [valeurs], db)
                champ.set_cached_value(dossier, lu)


def _lies_selection_jointures() -> tuple[list, str, str]:
    """The relations a mail names: their columns, and their joins on the keys `k.c<i>`."""
    champs = [Dossier._meta.get_field(nom) for nom in _LIES_ENVOI]
    selection = ", ".join(lignes.colonnes(c.related_model, f"t{i}") for i, c in enumerate(champs))
    jointures = " ".join(
        f"LEFT JOIN {c.related_model._meta.db_table} t{i} "
        f"ON t{i}.{c.related_model._meta.pk.column} = k.c{i}"
        for i, c in enumerate(champs)
    )
    return champs, selection, jointures


@functools.cache
def _sql_lies_lot() -> str:
    champs, selection, jointures = _lies_selection_jointures()
    cles = ", ".join("%s::bigint[]" for _c in champs)
    noms = ", ".join(f"c{i}" for i in range(len(champs)))
    return (
        f"SELECT k.n, {selection} FROM UNNEST({cles}) WITH ORDINALITY AS k({noms}, n) "  # noqa: S608 - names from the models
        f"{jointures} ORDER BY k.n"
    )


@functools.cache
def _sql_lies() -> str:
    champs, selection, jointures = _lies_selection_jointures()
    cles = ", ".join(f"%s::bigint AS c{i}" for i in range(len(champs)))
    return f"SELECT {selection} FROM (SELECT {cles}) k {jointures}"  # noqa: S608 - names from the models


def destinataire(dossier: Dossier) -> str:
    _charger_lies(dossier)
    if dossier.cree_par is not None and dossier.cree_par.email:
        return dossier.cree_par.email
    return dossier.email_suivi or dossiers_editique.personne(dossier).get("email", "")


def contexte_notification(dossier: Dossier, statut: Statut) -> dict:
    _charger_lies(dossier)
    demandeur = dossiers_editique.personne(dossier)
    return {
        "dossier": {"reference": dossier.reference, "dispositif": dossier.dispositif.titre},
        "statut": {
            "libelle": statut.libelle_usager or statut.etape.libelle,
            "etape": statut.etape.libelle,
        },
        "demandeur": {k: demandeur.get(k, "") for k in ("nom_complet", "prenom", "nom")},
        "lien": settings.GUICHET_SITE_URL.rstrip("/")
        + reverse("portal:dossier", args=[dossier.pk]),
    }


def _notifier(dossier, statut: Statut, changement: ChangementStatut) -> None:
    """Written to the outbox in this transaction; handed to workers on commit."""
    notifier(
        EVENEMENT_STATUT,
        contexte=contexte_notification(dossier, statut),
        email=destinataire(dossier),
        usager=dossier.cree_par,
        concerne=dossier,
        lien=reverse("portal:dossier", args=[dossier.pk]),
        cle=f"{EVENEMENT_STATUT}:{changement.pk}",
    )
