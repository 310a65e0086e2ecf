"""`make bench`: seeds databases of its own and measures. `python -m bench` runs the
scale benchmark (issue 10, bench/scale.py: one seeding at 10,000 and 1,000,000 dossiers,
every measure in one run, one table in var/bench/bench.json). The earlier scenarios stay:
`python -m bench referentiel`, `web`, `editique`, `dossiers`, `instruction` or `exports`
runs one on its own databases, `python -m bench tout` runs them all in turn.

Issue 9 (bench/crm.py, seeded by bench/seed_dossiers.py, a guide and bench/seed_crm.py):
the CRM's dashboard, filtered list (page 1 and 1,000), dossier page, map data and quick
search for two agents with 1,000,000 dossiers against 10,000; writes var/bench/crm.json.

Issue 9 (bench/exports.py, seeded by bench/seed_dossiers.py): CSV, XLSX and JSON exports
of 100,000 dossiers, each in a fresh process; goal: the CSV's peak memory ≤ 300 MB;
writes var/bench/exports.json.

Issue 8 (bench/instruction.py, seeded by bench/seed_dossiers.py and a guide on top):
change_status with five actions, changes per second in one process, with 1,000,000
dossiers in the database against 10,000, interleaved; writes var/bench/instruction.json.

Issue 7 (bench/dossiers.py, seeded by bench/seed_dossiers.py): « Mon compte », « Mes
demandes » and a dossier's page of one citizen with 1,000,000 dossiers in the database
against 10,000, the two sizes in two databases requested interleaved; writes
var/bench/dossiers.json.

Issue 6 (bench/editique.py): one-page receipts and ten-page dossier PDFs per second in
one process (per worker core); writes var/bench/editique.json.

Issue 5 (bench/web.py): the catalogue page and a 150-field wizard step served by
gunicorn, against a bare Django view, loaded by wrk; writes var/bench/web.json.

Issue 4: CRM search over 200,000 individus and 50,000 profils against the same search
over 2,000 individus and 500 profils. The two sizes live in two databases and are
measured interleaved, query by query, so both see the same machine load. Prints a table
and writes var/bench/referentiel.json.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

SIZES = {"small": (2_000, 500), "default": (200_000, 50_000)}
QUERIES = [
    "martin",
    "Éléonore Dupont",
    "eleonor dupond",
    "lefevre",
    "LEFEBVRE",
    "camille roux",
    "jean-pierre",
    "guerin",
    "chevalier helene",
    "06 00 01 23 45",
    "marie.dubois",
    "fontain",
    "association dupont",
    "boulangerie",
    "W4500123",
    "club girard",
    "orleans",
    "raphael blanc",
]


def ensure_databases(aliases=None) -> None:
    """Create the benchmark databases beside the configured server, then migrate them."""
    import django

    django.setup()
    import psycopg
    from django.conf import settings
    from django.core.management import call_command

    for alias in aliases or SIZES:
        db = settings.DATABASES[alias]
        params = {
            "dbname": "postgres",
            "user": db.get("USER"),
            "host": db.get("HOST"),
            "port": db.get("PORT"),
            "password": db.get("PASSWORD"),
        }
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
            ).fetchone():
                conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
        call_command("migrate", database=alias, verbosity=0)


def seed_all() -> dict:
    from bench import seed

    seconds = {}
    for alias, (individus, profils) in SIZES.items():
        started = time.perf_counter()
        seed.reset(alias)
        seed.seed_individus(individus, alias=alias)
        seed.seed_profils(profils, alias=alias)
        seconds[alias] = round(time.perf_counter() - started, 1)
        print(
            f"  {alias:>7}: {individus:>7} individus, {profils:>6} profils seeded in "
            f"{seconds[alias]} s",
            flush=True,
        )
    return seconds


def measure(rounds: int) -> dict:
    from bench.router import using
    from usagers import selectors

    def search(query):
        selectors.individus_rechercher(query)
        selectors.profils_rechercher(query)

    timings = {alias: {q: [] for q in QUERIES} for alias in SIZES}
    for alias in SIZES:  # warm connections and caches
        with using(alias):
            for query in QUERIES:
                search(query)
    for _ in range(rounds):
        for query in QUERIES:
            for alias in SIZES:
                with using(alias):
                    started = time.perf_counter()
                    search(query)
                    timings[alias][query].append((time.perf_counter() - started) * 1000)
    return {
        alias: {q: statistics.median(t) for q, t in per_query.items()}
        for alias, per_query in timings.items()
    }


def referentiel() -> int:
    ensure_databases()
    print("Benchmark — référentiel des usagers (issue 4)", flush=True)
    seeding = seed_all()
    rounds = int(os.environ.get("BENCH_ROUNDS", "9"))
    medians = measure(rounds)
    small = statistics.median(medians["small"].values())
    large = statistics.median(medians["default"].values())
    ratio = large / small
    print(
        f"\nRecherche CRM (individus + profils) : {len(QUERIES)} requêtes × {rounds} tours, "
        "tailles mesurées en alternance"
    )
    print(f"  {'requête':<22} {'2 000':>10} {'200 000':>10} {'ratio':>7}")
    for query in QUERIES:
        a, b = medians["small"][query], medians["default"][query]
        print(f"  {query:<22} {a:>8.2f}ms {b:>8.2f}ms {b / a:>7.2f}")
    print(f"  {'MÉDIANE':<22} {small:>8.2f}ms {large:>8.2f}ms {ratio:>7.2f}  (objectif ≤ 2)")
    output = {
        "referentiel_search": {
            "sizes": {alias: {"individus": i, "profils": p} for alias, (i, p) in SIZES.items()},
            "seed_seconds": seeding,
            "median_ms": {"small": round(small, 2), "large": round(large, 2)},
            "per_query_ms": medians,
            "ratio": round(ratio, 2),
            "goal": 2.0,
            "met": ratio <= 2,
        }
    }
    path = Path("var/bench")
    path.mkdir(parents=True, exist_ok=True)
    (path / "referentiel.json").write_text(json.dumps(output, indent=2, ensure_ascii=False))
    print(f"\nJSON : {path / 'referentiel.json'}")
    return 0 if ratio <= 2 else 1


SCENARIOS = ["referentiel", "web", "editique", "dossiers", "instruction", "exports", "crm"]


def main(argv: list[str]) -> int:
    if not argv or argv == ["scale"]:
        from bench import scale

        return scale.main()
    scenarios = list(SCENARIOS) if argv == ["tout"] else argv
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        print(
            f"Scénario inconnu : {', '.join(sorted(unknown))} (scale, tout, {', '.join(SCENARIOS)})"
        )
        return 2
    codes = []
    if "referentiel" in scenarios:
        codes.append(referentiel())
    if "web" in scenarios:
        from bench import web

        codes.append(web.main())
    if "editique" in scenarios:
        from bench import editique

        codes.append(editique.main())
    if "dossiers" in scenarios:
        from bench import dossiers

        codes.append(dossiers.main())
    if "instruction" in scenarios:
        from bench import instruction

        codes.append(instruction.main())
    if "exports" in scenarios:
        from bench import exports

        codes.append(exports.main())
    # Issue 9 — perfcrm: the CRM's pages.
    if "crm" in scenarios:
        from bench import crm

        codes.append(crm.main())
    return max(codes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
