"""The web benchmark's settings (bench/web.py): the benchmark's database, production-like
serving (no debug, cached templates, static files indexed once at start), and a URLconf
that adds the bare view measured as the reference."""

import os

from config.settings.bench import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DATABASE_ROUTERS: list[str] = []  # one database here: the default one (guichet_bench)
WHITENOISE_AUTOREFRESH = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Persistent connections, as production has them (config/database.py: DATABASE_URL gets
# conn_max_age=60 with health checks); the embedded server's settings have none, and a
# new PostgreSQL connection per request (~5 ms) was most of the catalogue's time here.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# The scale benchmark (bench/scale.py) serves its large database instead.
if os.environ.get("BENCH_WEB_DATABASE"):
    DATABASES["default"]["NAME"] = os.environ["BENCH_WEB_DATABASE"]  # noqa: F405
