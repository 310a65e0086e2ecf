"""Test settings: the same PostgreSQL as every environment, fast hashing, captured mail."""

import os
import tempfile

from config.settings.base import *  # noqa: F403
from config.settings.base import default_databases, env

DEBUG = False
DATABASES = default_databases()
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
ACCOUNT_RATE_LIMITS = False
# Tests enqueue eagerly unless a test starts a real worker itself (tests/notifications).
CELERY_TASK_ALWAYS_EAGER = True
# No PDF receipt after every deposit of the suite (eagerly, a deposit would wait for
# WeasyPrint): tests/dossiers/test_accuse_reception.py and the tracking journey turn it on.
GUICHET_ACCUSE_RECEPTION = False
# Static files straight from the apps (no collectstatic outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Worker tests (tests/notifications) consume from their own queue, so a demo worker on the
# same Redis never steals their messages, and read mail from files the worker writes.
CELERY_TASK_DEFAULT_QUEUE = "guichet-test"
if email_dir := env("GUICHET_TEST_EMAIL_DIR", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = email_dir
# The exactly-once test gives its worker a real SMTP server (aiosmtpd) on this port.
if smtp_port := env.int("GUICHET_TEST_SMTP_PORT", default=0):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = "127.0.0.1"
    EMAIL_PORT = smtp_port
    EMAIL_USE_TLS = EMAIL_USE_SSL = False
    EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
# The SIGKILL test: a worker killed outright gives its messages back within seconds.
if env("CELERY_VISIBILITY_TIMEOUT", default=""):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT"),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
# No pace unless a test sets one (tests/notifications/test_cadence.py; its workers get
# theirs from GUICHET_TEST_EMAIL_CADENCE).
GUICHET_EMAIL_CADENCE = env("GUICHET_TEST_EMAIL_CADENCE", default="")
GUICHET_SMS_CADENCE = ""
GUICHET_SMS_DIR = tempfile.mkdtemp(prefix="guichet-test-sms-")
# One test database per pytest process, so several runs (engineers, CI) can share a server.
DATABASES["default"]["TEST"] = {
    "NAME": env("GUICHET_TEST_DB", default=f"test_guichet_{os.getpid()}")
}
# No map tiles in tests: the tile server is never reached (the carte field draws on a
# blank map).
GUICHET_CARTE_TUILES = ""
# Uploaded and generated files of a test run go to a folder of its own.
MEDIA_ROOT = tempfile.mkdtemp(prefix="guichet-test-media-")
# Sessions as in production (cached_db), on a cache of this process's own: tests never
# share Redis, and the live server of browser tests runs in the same process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "sessions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sessions",
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
