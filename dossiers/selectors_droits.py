"""An agent's scope (C7, C8): on which dispositifs each right is held, and in which
territoires. Read once per request from small tables (profils métier, their rights,
the territoires tree) in ONE query and kept on the user object, so that the dossier
queries only get `dispositif_id IN (…) AND territoire_id IN (…)` with short literal
lists — index-friendly with a million dossiers, no join growing with the data."""

import json
from dataclasses import dataclass

from django.db import connection

from dossiers.models import DroitDispositif, ProfilMetier, Territoire
from dossiers.models.droits import DROITS

_CACHE = "_portee_droits"


@dataclass(frozen=True)
class Portee:
    # Per right: None = every dispositif (a profil « tous les dispositifs »), else the ids.
    dispositifs: dict[str, frozenset[int] | None]
    # None = the whole collectivité (assigned to no territoire), else the territoires
    # assigned and all their sous-territoires.
    territoires: frozenset[int] | None

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
          (SELECT coalesce(json_agg(json_build_object('tous', p.tous_dispositifs, {colonnes})),
                           '[]') FROM mes_profils p),
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
    resultat = Portee(dispositifs=dispositifs, territoires=territoires)
    setattr(agent, _CACHE, resultat)
    return resultat


def oublier_portee(agent) -> None:
    """After changing an agent's profils or territoires within the same request/test."""
    if agent is not None and hasattr(agent, _CACHE):
        delattr(agent, _CACHE)
