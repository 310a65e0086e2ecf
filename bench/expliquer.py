"""Where a page of the scale benchmark spends its time at 1,000,000 dossiers: each of its
queries timed at both sizes, the slowest at the large size explained.

`python -m bench.expliquer [compte] [dossier] [depot] [crm]` (all by default), on the
databases `python -m bench` seeded (`BENCH_REUSE=1` keeps them): each page requested once
to warm up, then once with every query timed (a wrapper around the cursor's execute) at
10,000 and at 1,000,000 dossiers. Writes var/bench/scale_explain.txt: per page the
queries by their time at the large size, beside the same query's time at the small one,
then `EXPLAIN (ANALYZE, BUFFERS)` at the large size of every query taking more than
`BENCH_EXPLAIN_MS` (10) ms there — a SELECT as it is, a write inside a transaction
rolled back. The page's SQL is Django's own, captured, not input.
"""

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def chronometre(alias: str, journal: list):
    """Every statement run on `alias` in the block, with its ms and parameters."""
    from django.db import connections

    def envelopper(execute, sql, params, many, context):
        debut = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            journal.append((sql, params, (time.perf_counter() - debut) * 1000))

    with connections[alias].execute_wrapper(envelopper):
        yield


def _requetes_des_pages(alias: str, noms: list[str], preparer: dict) -> dict[str, object]:
    """name → a callable making the page's request at this size (`preparer`: name → what
    to do before it, untimed)."""
    from bench import scale, seed_dossiers

    citoyen = seed_dossiers.citoyen_creer(alias)
    chemins = scale._chemins(citoyen)  # noqa: SLF001
    usager = scale._client(alias, citoyen["user"])  # noqa: SLF001
    faire = {}
    for page in ("compte", "dossier"):
        if page in noms:
            faire[page] = lambda p=page: usager.get(chemins[p])
    if "depot" in noms:
        depot = scale.Depot(alias)
        faire["depot"] = depot.poster
        preparer["depot"] = depot.preparer  # the GET of the step, not timed
    if "crm" in noms:
        from bench import crm

        lignes = crm.pages(alias)
        clients = crm._clients([alias], {ligne["email"] for ligne in lignes})  # noqa: SLF001
        # BENCH_EXPLAIN_CRM: the CRM pages whose name contains it (all by default).
        filtre = os.environ.get("BENCH_EXPLAIN_CRM", "")
        for ligne in lignes:
            if filtre in ligne["page"]:
                client = clients[(alias, ligne["email"])]
                faire[f"crm {ligne['page']}"] = lambda c=client, u=ligne["chemin"]: c.get(u)
    return faire


def _cle(sql: str) -> str:
    return " ".join(sql.split())[:4000]


def main(noms: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    from django.db import connections

    from bench.scale import GRANDE, PETITE, sur

    # A check of this script on the small database alone: BENCH_EXPLAIN_GRANDE=bench_10k.
    GRANDE = os.environ.get("BENCH_EXPLAIN_GRANDE", GRANDE)  # noqa: N806

    seuil = float(os.environ.get("BENCH_EXPLAIN_MS", "10"))
    noms = noms or ["compte", "dossier", "depot", "crm"]
    # Tasks go to a broker, as in production and in the benchmark's run (bench/scale.py).
    import logging

    from config.celery import app

    app.conf.task_always_eager = False
    logging.getLogger("celery").setLevel(logging.WARNING)
    par_taille = {}
    faire, avant = {}, {}
    for alias in (PETITE, GRANDE):
        avant[alias] = {}
        with sur(alias):
            faire[alias] = _requetes_des_pages(alias, noms, avant[alias])
    for alias in (PETITE, GRANDE):
        par_taille[alias] = {}
        for page, requete in faire[alias].items():
            preparation = avant[alias].get(page, lambda: None)
            with sur(alias):
                preparation()
                requete()  # warm-up
                preparation()
                journal: list = []
                with chronometre(alias, journal):
                    debut = time.perf_counter()
                    requete()
                    total = (time.perf_counter() - debut) * 1000
            par_taille[alias][page] = (total, journal)
    sortie = []
    for page in faire[GRANDE]:
        total_p, petit = par_taille[PETITE][page]
        total_g, grand = par_taille[GRANDE][page]
        temps_petit = {}
        for sql, _p, ms in petit:
            temps_petit.setdefault(_cle(sql), ms)
        sortie.append(f"#### {page}: {total_p:.1f} ms → {total_g:.1f} ms, {len(grand)} requêtes")
        classees = sorted(enumerate(grand, start=1), key=lambda x: -x[1][2])
        for n, (sql, _p, ms) in classees[:15]:
            avant = temps_petit.get(_cle(sql))
            avant_txt = f"{avant:8.1f}" if avant is not None else "       ?"
            sortie.append(f"  #{n:<3} {avant_txt} → {ms:8.1f} ms  {_cle(sql)[:160]}")
        sortie.append("")
        for n, (sql, params, ms) in classees:
            if ms < seuil:
                break
            with sur(GRANDE), connections[GRANDE].cursor() as cursor:
                ecriture = not sql.lstrip().upper().startswith(("SELECT", "WITH"))
                if ecriture:
                    cursor.execute("BEGIN")
                try:
                    # `sql` is a statement the page itself ran (captured with its
                    # parameters, bound again here); EXPLAIN cannot take it as a value.
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                    plan = [r[0] for r in cursor.fetchall()]
                except Exception as erreur:  # noqa: BLE001 - reported, the others go on
                    plan = [f"(EXPLAIN impossible : {erreur})"]
                finally:
                    if ecriture:
                        cursor.execute("ROLLBACK")
            sortie += [f"== {page} #{n} ({ms:.1f} ms)", sql]
            sortie += [f"   params: {params!r}"[:2000], *plan, ""]
    chemin = Path("var/bench/scale_explain.txt")
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_text("\n".join(sortie))
    print("\n".join(line for line in sortie if line.startswith(("####", "  #"))))
    print(f"\n{chemin}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
