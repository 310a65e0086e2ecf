"""Benchmark: development settings on databases of their own (the demo's stays intact):
one per data size, measured interleaved (bench/router.py)."""

import copy

from config.settings.dev import *  # noqa: F403
from config.settings.dev import DATABASES

DEBUG = False
GUICHET_CACHE_ETAPES = True  # as in production (dev turns it off with DEBUG)
DATABASES["default"]["NAME"] = "guichet_bench"
# Issue 4 (référentiel search), issue 7 (dossiers and the citizen space), issue 8
# (change_status).
for _alias, _name in (
    ("small", "guichet_bench_small"),
    ("dossiers", "guichet_bench_dossiers"),
    ("dossiers_small", "guichet_bench_dossiers_small"),
    ("instruction", "guichet_bench_instruction"),
    ("instruction_small", "guichet_bench_instruction_small"),
    ("exports", "guichet_bench_exports"),  # issue 9: exports' peak memory
    # Issue 9 — perfcrm: the CRM's pages (bench/crm.py).
    ("crm", "guichet_bench_crm"),
    ("crm_small", "guichet_bench_crm_small"),
    # Issue 10: the scale benchmark's one seeding at two sizes (bench/scale.py).
    ("bench_10k", "guichet_bench_10k"),
    ("bench_1m", "guichet_bench_1m"),
):
    DATABASES[_alias] = copy.deepcopy(DATABASES["default"])
    DATABASES[_alias]["NAME"] = _name
DATABASE_ROUTERS = ["bench.router.BenchRouter"]
# Signing the measured citizens in sends their notice mail: kept in memory, not printed.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
