"""The CRM's pages (issue 9): « with 1,000,000 dossiers, 300 agents: dashboard, filtered
list (first page and page 1,000), map data and quick search — median ≤ 1.5x the same at
10,000 dossiers », and no page's query count growing with the data. The CRM dossier
page is measured too (issue 10 lists it).

Two databases of their own (guichet_bench_crm: 1,000,000 dossiers, guichet_bench_crm_small:
10,000), seeded by `bench.instruction.semer` (dossiers with their guides) then
`bench.seed_crm.semer` (agents, rights, territoires, teams, labels, follows). A database
that already holds the instruction seeding of its size (a copy of the instruction
bench's database, say) only gets the CRM part; `BENCH_CRM_REUSE=1` keeps a database whose
CRM seeding is finished.

Measured for two agents — one instructing every dispositif everywhere, one of a pôle
(four dispositifs) assigned to one quartier — through Django's test client, signed in
with force_login, in process, DEBUG False; per page and size a checked warm-up request
and one with its queries counted, then `BENCH_CRM_ROUNDS` (15) rounds where each page is
requested at both sizes one after the other, the order swapped every round
(bench/router.py and `bench.instruction.base`: every query, raw SQL included, goes to
the size's database). Pages: the dashboard (default dashlets); the list filtered by a
dispositif and a statut of its guide, its first page and its page 1,000 (reached by its
keyset cursor, as « Suivante » walks; where the filtered list has fewer pages, its
last page, and the table says which page); the CRM dossier page; the map's data for the
commune's box; the quick search for a name and for a reference prefix. Exit 1 when a
ratio exceeds 1.5 or a page's query count differs between the sizes.
`BENCH_CRM_EXPLAIN=1` writes EXPLAIN (ANALYZE, BUFFERS) of every query of the pages at
the large size to var/bench/crm_explain.txt, sequential scans listed first.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

GOAL = 1.5
SIZES = {"crm_small": 10_000, "crm": 1_000_000}
PROFONDE = 1000  # the deep page of the list
# The commune's box (Belleville-sur-Loire and its quartiers) and the map's zoom.
BOITE = "2.790000,47.460000,2.910000,47.545000"
ZOOM = 13
NOM = "Martin"


@contextmanager
def taille(alias: str):
    """The ORM, raw SQL (`django.db.connection`) and transactions all on `alias`."""
    from bench.instruction import base
    from bench.router import using

    with using(alias), base(alias):
        yield


# --- Seeding ------------------------------------------------------------------------------


def seed() -> dict:
    from bench import instruction, seed_crm
    from bench.seed_dossiers import chronometrer

    reuse = os.environ.get("BENCH_CRM_REUSE") == "1"
    secondes = {}
    for alias, n in SIZES.items():
        if reuse and seed_crm.deja_seme(alias, n):
            print(f"  {n:>9,} dossiers : base {alias} réutilisée", flush=True)
            secondes[alias] = None
            continue
        debut = time.perf_counter()
        if not instruction.deja_seme(alias, n):
            lignes, duree = chronometrer(instruction.semer, alias, n)
            print(
                f"  {n:>9,} dossiers : {sum(lignes.values()):,} lignes semées en {duree:.1f} s",
                flush=True,
            )
        lignes, duree = chronometrer(seed_crm.semer, alias, n)
        print(
            f"  {n:>9,} dossiers : côté CRM, {sum(lignes.values()):,} lignes en {duree:.1f} s",
            flush=True,
        )
        secondes[alias] = round(time.perf_counter() - debut, 1)
    return secondes


# --- The pages ----------------------------------------------------------------------------


def _curseur_profond(agent, parametres: dict) -> tuple[int, str | None]:
    """The list's page PROFONDE (or its last page) as « Suivante » reaches it: the keyset
    cursor of the row before it, read as the list orders its rows. (page, cursor)."""
    from django.db.models import F

    from crm.dossiers import forms_liste
    from dossiers import liste
    from dossiers import selectors_gestion as selectors

    ctx = forms_liste.contexte(agent, parametres)
    form = forms_liste.ListeForm(parametres, ctx=ctx)
    valeurs = form.valeurs()
    tri, descendant = liste.tri_de(valeurs.get("tri") or "")
    qs = liste.filtrer(selectors.dossiers_du_crm(agent), valeurs, ctx)
    exprs = [liste._expression(c) for c in tri.cles] + [F("pk")]  # noqa: SLF001
    noms = [f"_cle{i}" for i in range(len(exprs))]
    qs = qs.annotate(**dict(zip(noms, exprs, strict=True))).order_by(
        *[F(n).desc() if descendant else F(n).asc() for n in noms]
    )
    total = qs.order_by().count()
    page = min(PROFONDE, max(1, -(-total // liste.PAR_PAGE)))
    if page == 1:
        return 1, None
    avant = qs.values_list(*noms)[(page - 1) * liste.PAR_PAGE - 1]
    return page, liste.encoder_curseur(list(avant))


def pages(alias: str) -> list[dict]:
    """Every measured request at this size: {"page", "chemin", "email"} (the agent signed
    in), the same pages in the same order at every size."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from accounts.models import User
    from bench import seed_crm
    from dossiers.models import Dispositif, Dossier
    from dossiers.selectors import dossiers_visible_to

    resultat = []
    with taille(alias):
        dispositif = Dispositif.objects.order_by("ordre", "pk").first()
        agents = {
            "tout": User.objects.get(email=seed_crm.AGENT_TOUT),
            "restreint": User.objects.get(email=seed_crm.AGENT_RESTREINT),
        }
        for nom, agent in agents.items():
            filtres = {"dispositif": str(dispositif.pk), "statut": "depose"}
            page, curseur = _curseur_profond(agent, filtres)
            liste_url = reverse("crm:dossiers")
            profonde = {**filtres, "p": str(page)}
            if curseur:
                profonde["apres"] = curseur
            dossier = (
                dossiers_visible_to(agent)
                .filter(statut=Dossier.Statut.DEPOSE, agent__isnull=False)
                .order_by("-depose_le", "-pk")
                .first()
            )
            prefixe = dossier.reference.rsplit("-", 1)[0]  # « 2025-SUB »
            carte = {"bbox": BOITE, "zoom": ZOOM}
            for page_nom, chemin, atteinte in (
                ("tableau de bord", reverse("crm:home"), None),
                ("liste filtrée, page 1", f"{liste_url}?{urlencode(filtres)}", None),
                (f"liste filtrée, page {PROFONDE}", f"{liste_url}?{urlencode(profonde)}", page),
                ("page d’un dossier", reverse("crm:dossier", args=[dossier.pk]), None),
                (
                    "carte (emprise de la commune)",
                    f"{reverse('crm:carte_donnees')}?{urlencode(carte)}",
                    None,
                ),
                ("recherche : un nom", f"{reverse('crm:recherche')}?{urlencode({'q': NOM})}", None),
                (
                    "recherche : début de référence",
                    f"{reverse('crm:recherche')}?{urlencode({'q': prefixe})}",
                    None,
                ),
            ):
                resultat.append(
                    {
                        "page": f"{page_nom} ({nom})",
                        "chemin": chemin,
                        "email": agent.email,
                        "page_atteinte": atteinte,
                    }
                )
    return resultat


def _clients(aliases: list[str], emails: set[str]) -> dict:
    import logging

    from django.db import transaction
    from django.test import Client

    from accounts.models import User

    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
    clients = {}
    for alias in aliases:
        for email in emails:
            with taille(alias):
                client = Client(HTTP_HOST="localhost")
                with transaction.atomic(using=alias):
                    client.force_login(User.objects.get(email=email))
                clients[(alias, email)] = client
    return clients


def _verifier(reponse, ligne: dict, alias: str) -> None:
    if reponse.status_code != 200:
        raise RuntimeError(f"{ligne['page']} ({alias}) : HTTP {reponse.status_code}")
    if "carte" in ligne["page"]:
        donnees = json.loads(reponse.content)
        if not donnees["total"]:
            raise RuntimeError(f"{ligne['page']} ({alias}) : aucun dossier dans l’emprise")
    elif (
        "page d’un dossier" not in ligne["page"]
        and b"fr-table" not in reponse.content
        and (b"fr-card" not in reponse.content)
    ):
        raise RuntimeError(f"{ligne['page']} ({alias}) : page sans résultat")


def mesurer(petite: str, grande: str, *, rounds: int | None = None) -> list[dict]:
    """Each page at both sizes, interleaved: rows {"page", "ms_10k", "ms_1m", "ratio",
    "requetes_10k", "requetes_1m"} (plus "chemin_1m" and the SQL of each page at the
    large size under "sql_1m", for the explain)."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    rounds = rounds or int(os.environ.get("BENCH_CRM_ROUNDS", "15"))
    aliases = [petite, grande]
    par_taille = {alias: pages(alias) for alias in aliases}
    noms = [ligne["page"] for ligne in par_taille[petite]]
    clients = _clients(aliases, {ligne["email"] for ligne in par_taille[petite]})
    requetes: dict[str, dict[str, list[str]]] = {nom: {} for nom in noms}
    for alias in aliases:
        for ligne in par_taille[alias]:
            client = clients[(alias, ligne["email"])]
            with taille(alias):
                _verifier(client.get(ligne["chemin"]), ligne, alias)
                with CaptureQueriesContext(connections[alias]) as capture:
                    client.get(ligne["chemin"])
            requetes[ligne["page"]][alias] = [q["sql"] for q in capture.captured_queries]
    temps = {nom: {alias: [] for alias in aliases} for nom in noms}
    for tour in range(rounds):
        ordre = aliases if tour % 2 == 0 else aliases[::-1]
        for i, nom in enumerate(noms):
            for alias in ordre:
                ligne = par_taille[alias][i]
                client = clients[(alias, ligne["email"])]
                with taille(alias):
                    debut = time.perf_counter()
                    client.get(ligne["chemin"])
                    temps[nom][alias].append((time.perf_counter() - debut) * 1000)
    lignes = []
    for i, nom in enumerate(noms):
        petit, grand = (statistics.median(temps[nom][a]) for a in aliases)
        lignes.append(
            {
                "page": nom,
                "ms_10k": round(petit, 1),
                "ms_1m": round(grand, 1),
                "ratio": round(grand / petit, 2),
                "requetes_10k": len(requetes[nom][petite]),
                "requetes_1m": len(requetes[nom][grande]),
                "page_atteinte": {
                    "10k": par_taille[petite][i]["page_atteinte"],
                    "1m": par_taille[grande][i]["page_atteinte"],
                },
                "chemin_1m": par_taille[grande][i]["chemin"],
                "sql_1m": requetes[nom][grande],
            }
        )
    return lignes


def explain(lignes: list[dict], alias: str, path: Path) -> None:
    from django.db import connections

    sortie = []
    with connections[alias].cursor() as cursor:
        for ligne in lignes:
            for n, sql in enumerate(ligne["sql_1m"], start=1):
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                # The page's own SQL as Django ran it (captured, parameters inlined), not
                # input; EXPLAIN takes a statement, not a parameter.
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = [r[0] for r in cursor.fetchall()]
                temps = next((p for p in plan if p.startswith("Execution Time")), "")
                scans = [p.strip() for p in plan if "Seq Scan" in p]
                sortie += [f"== {ligne['page']} #{n} {temps}", sql, *(f"!! {s}" for s in scans)]
                sortie += [*plan, ""]
    path.write_text("\n".join(sortie))


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    from bench.__main__ import ensure_databases

    ensure_databases(["default", *SIZES])
    print("Benchmark — pages du CRM (issue 9)", flush=True)
    secondes = seed()
    from bench.seed_dossiers import index_completer

    for alias in SIZES:  # an earlier seeding stopped midway may have left tables unindexed
        if refaits := index_completer(alias):
            print(f"  {alias} : {len(refaits)} index manquants recréés", flush=True)
    petite, grande = SIZES
    lignes = mesurer(petite, grande)
    charge = os.getloadavg()[0]
    rounds = int(os.environ.get("BENCH_CRM_ROUNDS", "15"))
    print(
        f"\nPages du CRM, 300 agents : {rounds} tours, client de test Django, tailles en "
        f"alternance (charge {charge:.1f})"
    )
    print(f"  {'page':<52} {'10 000':>10} {'1 000 000':>11} {'ratio':>6} {'requêtes':>9}")
    for ligne in lignes:
        atteinte = ligne["page_atteinte"]
        note = f"  (pages {atteinte['10k']} / {atteinte['1m']})" if atteinte["1m"] else ""
        print(
            f"  {ligne['page']:<52} {ligne['ms_10k']:>8.1f}ms {ligne['ms_1m']:>9.1f}ms "
            f"{ligne['ratio']:>6.2f} {ligne['requetes_10k']:>4}/{ligne['requetes_1m']:<4}{note}"
        )
    met = all(
        ligne["ratio"] <= GOAL and ligne["requetes_10k"] == ligne["requetes_1m"] for ligne in lignes
    )
    print(f"  objectif : chaque page ≤ {GOAL} × sa médiane à 10 000, autant de requêtes")
    path = Path("var/bench")
    path.mkdir(parents=True, exist_ok=True)
    if os.environ.get("BENCH_CRM_EXPLAIN") == "1":
        explain(lignes, grande, path / "crm_explain.txt")
        print(f"Plans : {path / 'crm_explain.txt'}")
    sortie = {
        "crm_pages": {
            "sizes": SIZES,
            "seed_seconds": secondes,
            "rounds": rounds,
            "load_average": round(charge, 2),
            "pages": [{k: v for k, v in ligne.items() if k != "sql_1m"} for ligne in lignes],
            "goal": GOAL,
            "met": met,
        }
    }
    (path / "crm.json").write_text(json.dumps(sortie, indent=2, ensure_ascii=False))
    print(f"\nJSON : {path / 'crm.json'}")
    return 0 if met else 1
