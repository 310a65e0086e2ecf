"""Local development and `make demo`: debug on, mails printed to the console."""

from config.settings.base import *  # noqa: F403
from config.settings.base import default_databases, env

DEBUG = env.bool("DEBUG", default=True)
GUICHET_CACHE_ETAPES = env.bool("GUICHET_CACHE_ETAPES", default=not DEBUG)
DATABASES = default_databases()
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from the apps (no collectstatic outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
