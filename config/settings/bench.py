"""Benchmark: development settings on databases of their own (the demo's stays intact):
one per data size, measured interleaved (bench/router.py)."""

import copy

from config.settings.dev import *  # noqa: F403
from config.settings.dev import DATABASES

DEBUG = False
GUICHET_CACHE_ETAPES = True  # as in production (dev turns it off with DEBUG)
DATABASES["default"]["NAME"] = "guichet_bench"
DATABASES["small"] = copy.deepcopy(DATABASES["default"])
DATABASES["small"]["NAME"] = "guichet_bench_small"
DATABASE_ROUTERS = ["bench.router.BenchRouter"]
