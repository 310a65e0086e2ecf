"""Dossiers and the citizen space (issue 7): « Mon compte », « Mes demandes » and a
dossier's page (its Suivi tab) of one ordinary citizen, with 1,000,000 dossiers in the
database against the same with 10,000.

Two databases of their own (guichet_bench_dossiers, guichet_bench_dossiers_small), seeded
by bench/seed_dossiers.py with COPY; the measured citizen is the same in both. Each page
is requested through Django's test client (signed in with force_login, in process: no
server, no network), after a warm-up request, the two sizes interleaved request by
request (bench/router.py), their order swapped every round, so both see the same machine
load. Goal: each page's median at 1,000,000 ≤ 1.5 × its median at 10,000.

`BENCH_DOSSIERS_REUSE=1` keeps databases that already hold their seeded dossiers;
`BENCH_DOSSIERS_ROUNDS` (30) sets the rounds; `BENCH_DOSSIERS_EXPLAIN=1` also writes the
plan (EXPLAIN ANALYZE) of every query of the three pages at the large size to
var/bench/dossiers_explain.txt, each query's sequential scans listed first.
"""

import json
import os
import statistics
import time
from pathlib import Path

GOAL = 1.5
SIZES = {"dossiers_small": 10_000, "dossiers": 1_000_000}
PAGES = {
    "account": "Mon compte",
    "dossiers": "Mes demandes",
    "dossier": "Page d’un dossier (Suivi)",
}


def _urls(citoyen: dict) -> dict[str, str]:
    from django.urls import reverse

    return {
        "account": reverse("portal:account"),
        "dossiers": reverse("portal:dossiers"),
        "dossier": reverse("portal:dossier", args=[citoyen["dossier"]]),
    }


def seed() -> dict:
    from bench import seed_dossiers

    reuse = os.environ.get("BENCH_DOSSIERS_REUSE") == "1"
    seconds, citoyens = {}, {}
    for alias, n in SIZES.items():
        if reuse and seed_dossiers.deja_seme(alias, n):
            print(f"  {n:>9,} dossiers : base {alias} réutilisée", flush=True)
            seconds[alias] = None
        else:
            lignes, duree = seed_dossiers.chronometrer(seed_dossiers.semer, alias, n)
            seconds[alias] = round(duree, 1)
            print(
                f"  {n:>9,} dossiers : {sum(lignes.values()):,} lignes semées en {duree:.1f} s",
                flush=True,
            )
        citoyens[alias] = seed_dossiers.citoyen_creer(alias)
    return {"seconds": seconds, "citoyens": citoyens}


def _clients(citoyens: dict) -> dict:
    import logging

    from django.db import transaction
    from django.test import Client

    from accounts.models import User
    from bench.router import using

    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # the mail's task
    clients = {}
    for alias, citoyen in citoyens.items():
        with using(alias):
            client = Client(HTTP_HOST="localhost")
            # Signing in records the connection and queues its notice mail, which locks
            # its outbox row: a transaction on this database (services open theirs on
            # the default one).
            with transaction.atomic(using=alias):
                client.force_login(User.objects.get(pk=citoyen["user"]))
            clients[alias] = client
    return clients


def _verifier(reponse, page: str, alias: str) -> None:
    if reponse.status_code != 200:
        raise RuntimeError(f"{page} ({alias}) : HTTP {reponse.status_code}")
    texte = reponse.content.decode()
    attendu = {
        "account": "Fournir « Justificatif de domicile »",
        "dossiers": "Prêt d’une benne",
        "dossier": "Dossier complet",
    }[page]
    if attendu not in texte:
        raise RuntimeError(f"{page} ({alias}) : « {attendu} » absent de la page")


def warm_up(clients: dict, urls: dict) -> dict:
    """One request per page and size (checked), then one more with the queries counted."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from bench.router import using

    requetes: dict[str, dict[str, list[str]]] = {page: {} for page in PAGES}
    for alias, client in clients.items():
        with using(alias):
            for page, url in urls[alias].items():
                _verifier(client.get(url), page, alias)
                with CaptureQueriesContext(connections[alias]) as capture:
                    client.get(url)
                requetes[page][alias] = [q["sql"] for q in capture.captured_queries]
    return requetes


def measure(clients: dict, urls: dict, rounds: int) -> dict:
    from bench.router import using

    aliases = list(clients)
    timings = {page: {alias: [] for alias in aliases} for page in PAGES}
    for tour in range(rounds):
        ordre = aliases if tour % 2 == 0 else aliases[::-1]
        for page in PAGES:
            for alias in ordre:
                with using(alias):
                    debut = time.perf_counter()
                    clients[alias].get(urls[alias][page])
                    timings[page][alias].append((time.perf_counter() - debut) * 1000)
    return timings


def explain(requetes: dict, alias: str, path: Path) -> None:
    """EXPLAIN ANALYZE of every query the pages ran at this size: a sequential scan of a
    table of this size is what makes a page grow with the database."""
    from django.db import connections

    lignes = []
    with connections[alias].cursor() as cursor:
        for page, par_alias in requetes.items():
            for n, sql in enumerate(par_alias[alias], start=1):
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                # The page's own SQL as Django ran it (captured), not input; EXPLAIN
                # takes a statement, not a parameter.
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = [ligne[0] for ligne in cursor.fetchall()]
                scans = [ligne.strip() for ligne in plan if "Seq Scan" in ligne]
                lignes += [f"== {page} #{n}", sql, *(f"!! {s}" for s in scans), *plan, ""]
    path.write_text("\n".join(lignes))


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    from bench.__main__ import ensure_databases

    # The default database too: services open their transactions and on_commit hooks
    # there (signing in queues a mail), whichever database the router picked.
    ensure_databases(["default", *SIZES])
    print("Benchmark — dossiers et espace usager (issue 7)", flush=True)
    seeding = seed()
    from bench.seed_dossiers import index_completer

    for alias in SIZES:  # an earlier seeding stopped midway may have left tables unindexed
        if refaits := index_completer(alias):
            print(f"  {alias} : {len(refaits)} index manquants recréés", flush=True)
    clients = _clients(seeding["citoyens"])
    urls = {alias: _urls(citoyen) for alias, citoyen in seeding["citoyens"].items()}
    requetes = warm_up(clients, urls)
    rounds = int(os.environ.get("BENCH_DOSSIERS_ROUNDS", "30"))
    timings = measure(clients, urls, rounds)
    load = os.getloadavg()[0]

    small, large = SIZES
    medians = {
        page: {alias: statistics.median(t) for alias, t in par_alias.items()}
        for page, par_alias in timings.items()
    }
    ratios = {page: m[large] / m[small] for page, m in medians.items()}
    print(
        f"\nPages de l’usager mesuré (8 demandes) : {rounds} tours, client de test Django, "
        f"tailles en alternance (charge {load:.1f})"
    )
    print(f"  {'page':<28} {'10 000':>10} {'1 000 000':>10} {'ratio':>7} {'requêtes':>9}")
    for page, libelle in PAGES.items():
        m = medians[page]
        print(
            f"  {libelle:<28} {m[small]:>8.1f}ms {m[large]:>8.1f}ms {ratios[page]:>7.2f} "
            f"{len(requetes[page][large]):>9}"
        )
    met = all(r <= GOAL for r in ratios.values())
    print(f"  objectif : chaque page ≤ {GOAL} × sa médiane à 10 000 dossiers")
    path = Path("var/bench")
    path.mkdir(parents=True, exist_ok=True)
    if os.environ.get("BENCH_DOSSIERS_EXPLAIN") == "1":
        explain(requetes, large, path / "dossiers_explain.txt")
        print(f"Plans : {path / 'dossiers_explain.txt'}")
    output = {
        "dossiers_citizen_space": {
            "sizes": SIZES,
            "seed_seconds": seeding["seconds"],
            "rounds": rounds,
            "load_average": round(load, 2),
            "median_ms": {
                page: {alias: round(v, 2) for alias, v in m.items()} for page, m in medians.items()
            },
            "ratios": {page: round(r, 2) for page, r in ratios.items()},
            "queries": {page: {a: len(q) for a, q in r.items()} for page, r in requetes.items()},
            "goal": GOAL,
            "met": met,
        }
    }
    (path / "dossiers.json").write_text(json.dumps(output, indent=2, ensure_ascii=False))
    print(f"\nJSON : {path / 'dossiers.json'}")
    return 0 if met else 1
