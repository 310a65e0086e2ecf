"""gunicorn's entry point for the web benchmark (its settings: bench/settings_web.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_web")

application = get_wsgi_application()
