"""Exports (issue 9): « a CSV export of 100,000 dossiers with peak memory under 300 MB ».

A database of its own (guichet_bench_exports), seeded by bench/seed_dossiers.py (the
dossiers benchmark's COPY seeding) with `BENCH_EXPORTS_N` (100,000) dossiers. Each
format is exported in a fresh Python process (`python -m bench.exports --un <format>`),
as a job runs it (`dossiers.exports.lignes` → the format's writer → a temporary file),
every standard column, every filed dossier, in the CRM list's order; the child reports
its rows, seconds and its own peak resident memory (`pic_mo`, the whole process, Django
included) before and after the export. Goal: the CSV's peak ≤ 300 MB; XLSX and JSON
are reported too. `BENCH_EXPORTS_REUSE=1` keeps a database already seeded.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ALIAS = "exports"
N = int(os.environ.get("BENCH_EXPORTS_N", "100000"))
GOAL_MB = 300
FORMATS = ["csv", "xlsx", "json"]
AGENT = "agent.bench.exports@bench.mairie.fr"


def pic_mo() -> float:
    """This process's own peak resident memory, in MB: the kernel's high-water mark of its
    address space (`VmHWM`). Not `ru_maxrss`: Linux keeps in it the peak of the address
    space an exec replaced, and subprocess starts a child by vfork then exec — so a child
    reports at least its parent's peak (the scale run's export child reported 596 MB: the
    benchmark process's, which had just seeded 1,000,000 dossiers; its own, 167 MB)."""
    try:
        with open("/proc/self/status") as status:
            for ligne in status:
                if ligne.startswith("VmHWM:"):
                    return int(ligne.split()[1]) / 1024  # kB
    except OSError:
        pass
    return maxrss_mo()  # no /proc: the best there is


def maxrss_mo() -> float:
    """`ru_maxrss`, what the runs before issue 10's export slice reported: for a child,
    the larger of its own peak and its parent's at the fork."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def un(format_: str) -> dict:
    """In the child process: one export, measured."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from bench.router import using
    from dossiers import exports
    from dossiers.selectors import dossiers_visible_to

    with using(ALIAS):
        agent = get_user_model().objects.get(email=AGENT)
        dossiers = dossiers_visible_to(agent).select_related("agent", "classement")
        dossiers = dossiers.order_by("-depose_le", "-pk")
        spec = exports.specification(cles=[c.cle for c in exports.COLONNES_STANDARD])
        avant = pic_mo()
        debut = time.perf_counter()
        lignes = 0

        def compter(n):
            nonlocal lignes
            lignes = n

        with tempfile.TemporaryFile() as fichier:
            exports.ecrire(
                exports.FORMATS[format_],
                spec,
                exports.lignes(dossiers, spec, progression=compter),
                fichier,
            )
            taille = fichier.tell()
        return {
            "format": format_,
            "rows": lignes,
            "seconds": round(time.perf_counter() - debut, 1),
            "bytes": taille,
            "peak_mb_before": round(avant, 1),
            "peak_mb": round(pic_mo(), 1),
            "ru_maxrss_mb": round(maxrss_mo(), 1),
        }


def _agent() -> None:
    from django.contrib.auth import get_user_model

    from bench.router import using

    with using(ALIAS):
        get_user_model().objects.filter(email=AGENT).delete()
        get_user_model().objects.create_superuser(
            email=AGENT, password=None, first_name="Agent", last_name="Exports", is_agent=True
        )


def _deposes() -> int:
    from bench.router import using
    from dossiers.models import Dossier

    with using(ALIAS):
        return Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON).count()


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    from bench import seed_dossiers
    from bench.__main__ import ensure_databases

    ensure_databases(["default", ALIAS])
    print(f"Benchmark — exports de dossiers (issue 9), {N:,} dossiers", flush=True)
    if os.environ.get("BENCH_EXPORTS_REUSE") == "1" and seed_dossiers.deja_seme(ALIAS, N):
        print("  base réutilisée", flush=True)
    else:
        lignes, duree = seed_dossiers.chronometrer(seed_dossiers.semer, ALIAS, N)
        print(f"  {sum(lignes.values()):,} lignes semées en {duree:.1f} s", flush=True)
    _agent()
    resultats = []
    for format_ in FORMATS:
        sortie = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "bench.exports", "--un", format_],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"},
        )
        resultats.append(json.loads(sortie.stdout.strip().splitlines()[-1]))
    load = os.getloadavg()[0]
    print(
        f"\n  {'format':<6} {'lignes':>9} {'durée':>8} {'fichier':>10} {'pic avant':>10} {'pic':>8}"
    )
    for r in resultats:
        print(
            f"  {r['format']:<6} {r['rows']:>9,} {r['seconds']:>7.1f}s {r['bytes'] / 1e6:>8.1f}Mo "
            f"{r['peak_mb_before']:>8.1f}Mo {r['peak_mb']:>6.1f}Mo"
        )
    csv_ = next(r for r in resultats if r["format"] == "csv")
    # Every filed dossier is exported (the seeding also makes drafts, never exported).
    met = csv_["peak_mb"] <= GOAL_MB and csv_["rows"] == _deposes()
    print(
        f"  objectif : CSV de tous les dossiers déposés ({_deposes():,} sur {N:,} semés, les "
        f"autres sont des brouillons), pic mémoire ≤ {GOAL_MB} Mo (charge {load:.1f})"
    )
    path = Path("var/bench")
    path.mkdir(parents=True, exist_ok=True)
    (path / "exports.json").write_text(
        json.dumps(
            {
                "exports": {
                    "n": N,
                    "load_average": round(load, 2),
                    "results": resultats,
                    "goal_peak_mb": GOAL_MB,
                    "met": met,
                }
            },
            indent=2,
        )
    )
    print(f"JSON : {path / 'exports.json'}")
    return 0 if met else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--un"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
        print(json.dumps(un(sys.argv[2])))
    else:
        sys.exit(main())
