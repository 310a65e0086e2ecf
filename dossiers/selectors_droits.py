"""An agent's scope (C7, C8): on which dispositifs each right is held, and in which
territoires. Read once per request from small tables (profils métier, their rights,
the territoires tree) in ONE query and kept on the user object, so that the dossier
queries only get `dispositif_id IN (…) AND territoire_id IN (…)` with short literal
lists — index-friendly with a million dossiers, no join growing with the data."""

import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Value
from django.utils.translation import gettext as _

from dossiers.models import Dossier, DroitDispositif, ProfilMetier, Territoire
from dossiers.models.droits import DROITS

_CACHE = "_portee_droits"


@dataclass(frozen=True)
class Portee:
    # Per right: None = every dispositif (a profil « tous les dispositifs »), else the ids.
    dispositifs: dict[str, frozenset[int] | None]
    # None = the whole collectivité (assigned to no territoire), else the territoires
    # assigned and all their sous-territoires.
    territoires: frozenset[int] | None
    # C1: the dashboard the agent's profils métier propose (their codes, by profil
    # libellé, each code once); empty: none proposes one.
    tableau: tuple[str, ...] = ()

    def dispositifs_pour(self, droit: str) -> frozenset[int] | None:
        return self.dispositifs[droit]

    def peut(self, droit: str, dispositif_id: int) -> bool:
        ids = self.dispositifs[droit]
        return ids is None or dispositif_id in ids


TOUT = Portee(dispositifs=dict.fromkeys(DROITS), territoires=None)


def _lire(agent_id: int) -> tuple[list, list, list, list]:
    profils = ProfilMetier._meta
    lien_profil = ProfilMetier.agents.through._meta.db_table
    droits = DroitDispositif._meta.db_table
    territoires = Territoire._meta.db_table
    lien_territoire = Territoire.agents.through._meta.db_table
    colonnes = ", ".join(f"'{d}', p.{d}" for d in DROITS)
    colonnes_droits = ", ".join(f"'{d}', d.{d}" for d in DROITS)
    sql = f"""
        WITH mes_profils AS (
            SELECT p.* FROM {profils.db_table} p
              JOIN {lien_profil} l ON l.profilmetier_id = p.id
             WHERE l.user_id = %(agent)s
        ), mes_territoires AS (
            SELECT territoire_id FROM {lien_territoire} WHERE user_id = %(agent)s
        )
        SELECT
          (SELECT coalesce(json_agg(json_build_object('tous', p.tous_dispositifs,
                                                      'tableau', p.tableau_de_bord, {colonnes})
                                    ORDER BY p.libelle, p.id), '[]') FROM mes_profils p),
          (SELECT coalesce(json_agg(json_build_object('dispositif', d.dispositif_id,
                                                      {colonnes_droits})), '[]')
             FROM {droits} d
            WHERE d.profil_metier_id IN (SELECT id FROM mes_profils WHERE NOT tous_dispositifs)),
          (SELECT coalesce(json_agg(territoire_id), '[]') FROM mes_territoires),
          (SELECT coalesce(json_agg(json_build_array(t.id, t.parent_id)), '[]')
             FROM {territoires} t WHERE EXISTS (SELECT 1 FROM mes_territoires))
    """  # noqa: S608 (table and column names from the models; the agent is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"agent": agent_id})
        row = cursor.fetchone()
    # psycopg decodes json columns already; be tolerant of a text answer.
    return tuple(json.loads(v) if isinstance(v, str) else v for v in row)


def descendants(racines: set[int], arbre: list[tuple[int, int | None]]) -> frozenset[int]:
    """The territoires `racines` and every sous-territoire below them."""
    enfants: dict[int | None, list[int]] = {}
    for pk, parent in arbre:
        enfants.setdefault(parent, []).append(pk)
    vus, pile = set(), list(racines)
    while pile:
        pk = pile.pop()
        if pk in vus:
            continue
        vus.add(pk)
        pile.extend(enfants.get(pk, ()))
    return frozenset(vus)


def portee(agent) -> Portee:
    """The agent's scope, computed once per user object (one query). A superuser has
    every right everywhere."""
    if agent.is_superuser:
        return TOUT
    cached = getattr(agent, _CACHE, None)
    if cached is not None:
        return cached
    profils, lignes, assignes, arbre = _lire(agent.pk)
    dispositifs: dict[str, frozenset[int] | None] = {}
    for droit in DROITS:
        if any(p["tous"] and p[droit] for p in profils):
            dispositifs[droit] = None
        else:
            dispositifs[droit] = frozenset(ligne["dispositif"] for ligne in lignes if ligne[droit])
    territoires = descendants(set(assignes), arbre) if assignes else None
    tableau = tuple(
        dict.fromkeys(
            code
            for p in profils
            for code in (p.get("tableau") or [])
            if isinstance(p.get("tableau"), list) and isinstance(code, str)
        )
    )
    resultat = Portee(dispositifs=dispositifs, territoires=territoires, tableau=tableau)
    setattr(agent, _CACHE, resultat)
    return resultat


def oublier_portee(agent) -> None:
    """After changing an agent's profils or territoires within the same request/test."""
    if agent is not None and hasattr(agent, _CACHE):
        delattr(agent, _CACHE)


def tableau_des_profils(agent) -> tuple[str, ...]:
    """The dashboard the agent's profils métier propose (C1): each profil's dashlets in
    its order, the profils by libellé, a dashlet once (read with the scope: no query of
    its own once the scope is known)."""
    if agent is None or not getattr(agent, "is_authenticated", False):
        return ()
    return portee(agent).tableau


def profils_metier():
    """Every profil métier by libellé (the dashboard's page lists them for who manages
    rights)."""
    return list(ProfilMetier.objects.only("pk", "libelle", "tableau_de_bord").order_by("libelle"))


def agents_pouvant_instruire(dossier):
    """The agents who may instruct `dossier` (C7, C8): active agents with the
    « instruire les dossiers » permission, holding « instruire » on its dispositif
    through a profil métier (or a profil « tous les dispositifs »), and either assigned
    to no territoire or to the dossier's territoire or one above it; superusers too.
    One query whatever the number of agents (the territoire and those above it are a
    recursive subquery; UNION stops on a cycle)."""
    return _agents_instruisant(dossier.dispositif_id, dossier.territoire_id, hors_territoire=True)


def agents_pour_attribuer(dossier):
    """The « Agent chargé » select of a dossier: `agents_pouvant_instruire`, and the
    agent it is assigned to even when they lost the right since (kept and selected, so
    that saving the form does not unassign them), each annotated `peut_instruire`. One
    query. The assigned agent joins the list by a UNION inside the `IN`: written as
    `pk IN (…) OR pk = agent`, PostgreSQL scanned every user (2.5 s with 300,000
    accounts, the benchmark's 1,000,000 dossiers; 20 ms this way)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    pouvant = agents_pouvant_instruire(dossier)
    if dossier.agent_id is None:
        return pouvant.annotate(peut_instruire=Value(True))
    ids = pouvant.order_by().values("pk")
    User = get_user_model()  # noqa: N806 - a model class
    avec_charge = ids.union(User.objects.filter(pk=dossier.agent_id).values("pk"))
    return (
        User.objects.filter(pk__in=avec_charge)
        .annotate(peut_instruire=Exists(ids.filter(pk=OuterRef("pk"))))
        .order_by("first_name", "last_name", "email")
    )


def agents_pouvant_instruire_regle(*, dispositif_id: int | None, territoire_id: int | None):
    """The agents a routing rule may name (C14 × C7, C8): as `agents_pouvant_instruire`
    for the dossiers the rule routes — « instruire » on its dispositif, or on every
    dispositif (a profil « tous les dispositifs ») when it names none; assigned to no
    territoire or to its territoire or one above it when it names one. A rule naming no
    territoire does not restrict agents assigned to territoires here (its communes may
    well lie in theirs): routing checks each dossier again (services_routage)."""
    return _agents_instruisant(dispositif_id, territoire_id, hors_territoire=False)


def motif_agent_de_regle(agent, *, dispositif, territoire) -> str | None:
    """Why a routing rule may not name `agent` (None: it may), in French: the verdict
    is `agents_pouvant_instruire_regle` (one query), the reason read from the agent's
    scope (one more, on refusal only)."""
    regle = agents_pouvant_instruire_regle(
        dispositif_id=dispositif.pk if dispositif else None,
        territoire_id=territoire.pk if territoire else None,
    )
    if regle.filter(pk=agent.pk).exists():
        return None
    if not (agent.can_use_crm and agent.has_perm("dossiers.instruire_dossiers")):
        return _("%(agent)s ne peut pas instruire de dossiers : choisissez un autre agent.") % {
            "agent": agent
        }
    scope = portee(agent)
    if dispositif is None and scope.dispositifs_pour("instruire") is not None:
        return _(
            "%(agent)s n’a pas le droit « instruire » sur tous les dispositifs : choisissez "
            "le dispositif de cette règle, ou un autre agent."
        ) % {"agent": agent}
    if dispositif is not None and not scope.peut("instruire", dispositif.pk):
        return _(
            "%(agent)s n’a pas le droit « instruire » sur le dispositif « %(dispositif)s » : "
            "choisissez un autre agent, ou donnez-lui ce droit (CRM › Droits)."
        ) % {"agent": agent, "dispositif": dispositif}
    return _(
        "%(agent)s est affecté à des territoires qui ne couvrent pas « %(territoire)s » : "
        "choisissez un autre agent."
    ) % {"agent": agent, "territoire": territoire}


def _agents_instruisant(dispositif_id, territoire_id, *, hors_territoire: bool):
    """`hors_territoire`: what a missing territoire means — an unsectorised dossier
    (only agents assigned to no territoire reach it), or a rule for any territoire (no
    territoire condition)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef, Q
    from django.db.models.expressions import RawSQL

    User = get_user_model()
    table = Territoire._meta.db_table
    # The table's name from the model; the territoire is a parameter.
    ascendants = RawSQL(  # noqa: S611
        f"""WITH RECURSIVE haut(id, parent_id) AS (
                SELECT id, parent_id FROM {table} WHERE id = %s
                UNION SELECT t.id, t.parent_id FROM {table} t JOIN haut ON t.id = haut.parent_id
            ) SELECT id FROM haut""",  # noqa: S608
        [territoire_id],
    )
    profils = ProfilMetier.objects.filter(agents=OuterRef("pk"))
    droit = Exists(profils.filter(tous_dispositifs=True, instruire=True))
    if dispositif_id is not None:
        droit |= Exists(
            profils.filter(
                tous_dispositifs=False,
                droits_dispositifs__dispositif_id=dispositif_id,
                droits_dispositifs__instruire=True,
            )
        )
    affectations = Territoire.agents.through.objects.filter(user_id=OuterRef("pk"))
    if territoire_id is not None:
        territoire = ~Exists(affectations) | Exists(
            affectations.filter(territoire_id__in=ascendants)
        )
    elif hors_territoire:
        territoire = ~Exists(affectations)
    else:
        territoire = Q()
    permission = Q(user_permissions__codename="instruire_dossiers") | Q(
        groups__permissions__codename="instruire_dossiers"
    )
    return (
        User.objects.filter(is_active=True, is_agent=True)
        .filter(Q(is_superuser=True) | (permission & droit & territoire))
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def _construire_peut_instruire(agent, dispositif, territoire=None):
    modele = Dossier(dispositif_id=dispositif, territoire_id=territoire)
    return agents_pouvant_instruire(modele).filter(pk=agent)


def _valeurs_peut_instruire(agent, dispositif_id, territoire_id) -> dict:
    valeurs = {"agent": agent.pk, "dispositif": dispositif_id}
    if territoire_id is not None:
        valeurs["territoire"] = territoire_id
    return valeurs


def peut_instruire(agent, dossier) -> bool:
    """`agent` is among `agents_pouvant_instruire(dossier)`: the same query, its SQL
    built once per process (twice: with and without a territoire) — assigning a
    dossier in a status action (change_status) checked it at a cost of ~2 ms of
    compilation for a 0.2 ms query."""
    from common import lignes

    return lignes.existe(
        ("peut_instruire", dossier.territoire_id is not None),
        _construire_peut_instruire,
        **_valeurs_peut_instruire(agent, dossier.dispositif_id, dossier.territoire_id),
    )


def peut_instruire_lot(agent, dossiers) -> dict[tuple, bool]:
    """`peut_instruire` for each distinct (dispositif, territoire) of `dossiers` (a chunk
    of change_status: instruction.services_statut_lot), the same query asked for all in
    one round trip per shape (with, without a territoire)."""
    from common import lignes

    cles = {(d.dispositif_id, d.territoire_id) for d in dossiers}
    verdicts = {}
    for avec_territoire in (False, True):
        paires = sorted(c for c in cles if (c[1] is not None) == avec_territoire)
        reponses = lignes.existent(
            ("peut_instruire", avec_territoire),
            _construire_peut_instruire,
            [_valeurs_peut_instruire(agent, *paire) for paire in paires],
        )
        verdicts.update(zip(paires, reponses, strict=True))
    return verdicts


def droits_sur(agent, dispositif_id: int) -> dict[str, bool]:
    """Which of the five rights the agent holds on a dispositif: what a dossier's page
    offers (its buttons shown or hidden), read from the scope (no query once known)."""
    scope = portee(agent)
    return {droit: scope.peut(droit, dispositif_id) for droit in DROITS}


def droits_sur_la_liste(agent, dispositif_id: int | None = None) -> dict[str, bool]:
    """Which rights the agent holds for the list's actions: on the filtered dispositif,
    else on at least one (a lot or an export skips the dossiers it may not touch)."""
    scope = portee(agent)
    resultat = {}
    for droit in DROITS:
        ids = scope.dispositifs_pour(droit)
        if ids is None:
            resultat[droit] = True
        elif dispositif_id is not None:
            resultat[droit] = dispositif_id in ids
        else:
            resultat[droit] = bool(ids)
    return resultat
