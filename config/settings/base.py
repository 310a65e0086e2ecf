"""Settings shared by every environment; each value comes from the environment.

Every variable read here is documented in README.md and docker-compose.yml.
"""

import importlib.util
from pathlib import Path

import environ
from celery.schedules import crontab

from config.database import database_settings, default_data_dir

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The authority running this Guichet: shown in the header, footer, emails and documents.
GUICHET_AUTHORITY_NAME = env("GUICHET_AUTHORITY_NAME", default="Ville de Belleville-sur-Loire")
GUICHET_AUTHORITY_LOGO = env("GUICHET_AUTHORITY_LOGO", default="")  # static path or URL
GUICHET_SITE_TITLE = env("GUICHET_SITE_TITLE", default="Guichet")
GUICHET_SITE_TAGLINE = env(
    "GUICHET_SITE_TAGLINE", default="Vos démarches en ligne, au même endroit"
)
GUICHET_SITE_URL = env("GUICHET_SITE_URL", default="http://127.0.0.1:8000")
# Days an invitation to join a profil stays valid.
GUICHET_INVITATION_DAYS = env.int("GUICHET_INVITATION_DAYS", default=14)
# Days a follow link mailed to a citizen who filed without an account stays valid (P6);
# after that, the tracking code and its verification value, or a new link by mail.
GUICHET_SUIVI_LIEN_JOURS = env.int("GUICHET_SUIVI_LIEN_JOURS", default=30)
# Wizard steps rendered once and reused while nothing they show changes (see
# portal/etapes_rendues.py); off in development, where templates reload when edited.
GUICHET_CACHE_ETAPES = env.bool("GUICHET_CACHE_ETAPES", default=True)
# Behind a reverse proxy, the client's IP (kept with each login) is X-Forwarded-For's first.
GUICHET_BEHIND_PROXY = env.bool("GUICHET_BEHIND_PROXY", default=False)
# Base Adresse Nationale (address autocomplete and geocoding): the adapter class, see
# common/adresses.py. The local fake here (dev, tests, demo); the real API in production.
GUICHET_BAN_ADAPTER = env("GUICHET_BAN_ADAPTER", default="common.adresses.BanLocale")
GUICHET_BAN_URL = env("GUICHET_BAN_URL", default="https://api-adresse.data.gouv.fr")
GUICHET_BAN_TIMEOUT = env.float("GUICHET_BAN_TIMEOUT", default=3.0)  # seconds
# Map drawing field (carte, F13): the tile URL template ("" = no tile layer: only the
# drawn shapes, as in the tests, which never reach the internet), its attribution, and
# the map's default centre ("latitude,longitude": the authority's) and zoom.
GUICHET_CARTE_TUILES = env(
    "GUICHET_CARTE_TUILES", default="https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png"
)
GUICHET_CARTE_ATTRIBUTION = env(
    "GUICHET_CARTE_ATTRIBUTION",
    default="© les contributeurs d’OpenStreetMap, fond OpenStreetMap France",
)
GUICHET_CARTE_CENTRE = env.list("GUICHET_CARTE_CENTRE", cast=float, default=[47.5028, 2.8508])
GUICHET_CARTE_ZOOM = env.int("GUICHET_CARTE_ZOOM", default=14)

INSTALLED_APPS = [
    # Front-ends first so their templates override those of libraries.
    "portal",
    "crm",
    "demo",
    # Optional modules.
    "rdv",
    "partenaires",
    "facturation",
    # Core domain.
    "instruction",
    "contacts",
    "dossiers",
    "usagers",
    "editique",
    "notifications",
    "accounts",
    # Libraries.
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    "django_countries",  # ISO 3166 countries with French names (pays field)
    "django_celery_beat",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every tracked change (journal C11) records who made it and from which page.
    "pghistory.middleware.HistoryMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Keeps each open session (IP, browser, last activity) for "Mon compte", where the
    # citizen ends the sessions they do not recognise: allauth.usersessions' middleware,
    # refreshing the record every few minutes instead of on every request.
    "accounts.sessions.UserSessionsMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.guichet",
            ],
            "libraries": {"guichet": "config.templatetags"},
        },
    },
]
# Every Django form renders with DSFR markup (label, hint, error next to the field).
FORM_RENDERER = "config.forms.DsfrFormRenderer"
# The rights matrix (C7) posts one field per ticked box: 30 profils × 50 dispositifs × 5
# rights is 7,500 (Django's default stops at 1,000).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WSGI_APPLICATION = "config.wsgi.application"

# PostgreSQL only: DATABASE_URL, else (development, demo, tests) the embedded server in
# var/pgdata. Production refuses to start without DATABASE_URL.
DATABASE_URL = env("DATABASE_URL", default=None)
DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=30_000)


def default_databases() -> dict:
    return {
        "default": database_settings(
            url=DATABASE_URL,
            data_dir=default_data_dir(BASE_DIR),
            statement_timeout_ms=DATABASE_STATEMENT_TIMEOUT_MS,
        )
    }


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:account"
LOGOUT_REDIRECT_URL = "portal:home"

# django-allauth: citizens sign up and log in with their email, verified before use.
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "portal.forms.SignupForm", "login": "portal.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# An address already registered is said plainly next to the field (issue 4 turns this
# into the "use my account" offer); allauth's default hides it to prevent enumeration.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{GUICHET_AUTHORITY_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
# Open sessions listed on "Mon compte" (allauth.usersessions), and optional two-factor
# authentication for citizens (allauth.mfa: an authenticator app and recovery codes).
USERSESSIONS_TRACK_ACTIVITY = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = GUICHET_SITE_TITLE
# allauth reads the client's IP (sessions, rate limits) from the proxy's header likewise.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if GUICHET_BEHIND_PROXY else 0
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}

# Internationalisation: French UI, Paris time, French formats.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# django-leaflet ships Leaflet and Leaflet.draw; its app imports GeoDjango (GDAL), which we
# don't use (GeoJSON lives in JSON), so only its static folder is served, under leaflet/.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    Path(importlib.util.find_spec("leaflet").submodule_search_locations[0]) / "static",
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: SMTP in production (EMAIL_URL), console in development.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default=f"{GUICHET_AUTHORITY_NAME} <ne-pas-repondre@guichet.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# An SMTP server that stops answering must not hold a worker forever (seconds).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Notifications (notifications/): delivery through the outbox, exactly once.
# A worker claims a message for this many seconds before talking to the provider; a
# claim older than that means its worker died, and another one sends it. Must exceed
# the longest send (EMAIL_TIMEOUT × a few round trips): the task's time limit is 10 s less.
# After a deposit (issue 7, P8): the PDF receipt and the acknowledgement mail, by a task
# once the deposit commits (dossiers/services_suivi_usager.py). Off in the test settings:
# the tests that check it switch it on.
GUICHET_ACCUSE_RECEPTION = env.bool("GUICHET_ACCUSE_RECEPTION", default=True)
# Exports (C12/C15): above this many dossiers an export is a background job; its file is
# kept this many days.
GUICHET_EXPORT_SEUIL = env.int("GUICHET_EXPORT_SEUIL", default=5000)
GUICHET_EXPORTS_JOURS = env.int("GUICHET_EXPORTS_JOURS", default=7)
# Days a dossier stays in the trash before beat deletes it for good (C14).
GUICHET_CORBEILLE_JOURS = env.int("GUICHET_CORBEILLE_JOURS", default=30)
GUICHET_NOTIFICATIONS_BAIL = env.int("GUICHET_NOTIFICATIONS_BAIL", default=180)
# Backoff cap between two attempts after a temporary error, and when to give up (s).
GUICHET_NOTIFICATIONS_DELAI_MAX = env.int("GUICHET_NOTIFICATIONS_DELAI_MAX", default=1800)
GUICHET_NOTIFICATIONS_ABANDON = env.int("GUICHET_NOTIFICATIONS_ABANDON", default=3 * 24 * 3600)
# Reply-To of the mails about a dossier: replies land in its conversation (the inbound
# MTA pipes them to `manage.py recevoir_reponse`). Empty: no Reply-To.
GUICHET_NOTIFICATIONS_REPONSE = env("GUICHET_NOTIFICATIONS_REPONSE", default="")
# Global pace of sends per channel, all workers together ("600/m", "10/s", "3000/h";
# empty: no pace). Each attempt takes the next send slot in the database (Cadence).
# Off by default without REDIS_URL: eager in-process sending cannot hold a message until
# its slot (it would wait for the sweeper), and there is no worker to multiply the rate.
_AVEC_WORKER = bool(env("REDIS_URL", default=""))
GUICHET_EMAIL_CADENCE = env("GUICHET_EMAIL_CADENCE", default="600/m" if _AVEC_WORKER else "")
GUICHET_SMS_CADENCE = env("GUICHET_SMS_CADENCE", default="60/m" if _AVEC_WORKER else "")
# SMS: the adapter (notifications/sms.py): the local file fake, or SmsBrevo in production.
GUICHET_SMS_ADAPTER = env("GUICHET_SMS_ADAPTER", default="notifications.sms.SmsFichier")
GUICHET_SMS_DIR = env.path("GUICHET_SMS_DIR", default=BASE_DIR / "var" / "sms")
GUICHET_SMS_URL = env("GUICHET_SMS_URL", default="")  # empty: the provider's own URL
GUICHET_SMS_CLE_API = env("GUICHET_SMS_CLE_API", default="")
GUICHET_SMS_EXPEDITEUR = env("GUICHET_SMS_EXPEDITEUR", default="Guichet")  # 11 characters
GUICHET_SMS_TIMEOUT = env.float("GUICHET_SMS_TIMEOUT", default=10.0)

# Celery: real broker and results on Redis when REDIS_URL is set; otherwise tasks run
# eagerly, in-process, when the transaction that enqueued them commits.
REDIS_URL = env("REDIS_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="guichet")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A worker killed outright leaves its unacknowledged messages in Redis: another worker
# takes them back after this many seconds (kombu's default is one hour).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
# The outbox sweeper: what is due and was never enqueued, or whose worker died.
CELERY_BEAT_SCHEDULE = {
    "notifications-relancer-en-retard": {
        "task": "notifications.relancer_en_retard",
        "schedule": 60.0,
    },
    # Files of generated documents whose transaction rolled back (editique/services.py).
    "editique-supprimer-fichiers-orphelins": {
        "task": "editique.supprimer_fichiers_orphelins",
        "schedule": 3600.0,
    },
    # Failed tries on the hors-compte tracking pages, once past their window.
    "dossiers-tentatives-purger": {"task": "dossiers.tentatives_purger", "schedule": 3600.0},
    # Validated justificatifs past their validity become « périmé » (issue 7, P12).
    "dossiers-justificatifs-perimer": {
        "task": "dossiers.justificatifs_perimer",
        "schedule": crontab(hour=2, minute=30),
    },
    # Files of justificatif uploads whose transaction rolled back.
    "dossiers-justificatifs-fichiers-orphelins": {
        "task": "dossiers.justificatifs_fichiers_orphelins",
        "schedule": 3600.0,
    },
    # Drafts past their lifetime deleted, their authors warned a week before (F14);
    # transfers and co-editing invitations past their date marked expired.
    "dossiers-brouillons-entretenir": {
        "task": "dossiers.brouillons_entretenir",
        "schedule": crontab(hour=3, minute=15),
    },
    # Guide timers (issue 8, I8): silent acceptance/refusal, reminders, expiry.
    "instruction-minuteurs-executer": {
        "task": "instruction.minuteurs_executer",
        "schedule": 300.0,
    },
    # Export jobs and their files past GUICHET_EXPORTS_JOURS (C12/C15).
    "dossiers-exports-purger": {
        "task": "dossiers.exports_purger",
        "schedule": crontab(hour=3, minute=45),
    },
    # Batches (issue 9, I6) whose worker was lost or whose broker was down: resumed.
    "instruction-lots-relancer": {"task": "instruction.lots_relancer", "schedule": 300.0},
    "dossiers-jetons-expirer": {
        "task": "dossiers.jetons_expirer",
        "schedule": crontab(hour=3, minute=30),
    },
    # Routing and labels (C14): the followers' daily digest; the trash emptied of what
    # stayed there GUICHET_CORBEILLE_JOURS days.
    "dossiers-suivis-resumer": {
        "task": "dossiers.suivis_resumer",
        "schedule": crontab(hour=7, minute=0),
    },
    "dossiers-corbeille-purger": {
        "task": "dossiers.corbeille_purger",
        "schedule": crontab(hour=3, minute=45),
    },
    # Issue 9 — resume: the digest of the agents who want one at each change.
    "dossiers-suivis-resumer-immediats": {
        "task": "dossiers.suivis_resumer_immediats",
        "schedule": 300.0,
    },
    # Issue 9 — perfcrm: the dashboard's counters summed back to one row per key.
    "instruction-compteurs-compacter": {
        "task": "instruction.compteurs_compacter",
        "schedule": 300.0,
    },
}

# Caches. `default`: per process (locmem), for what each process derives from the
# database and keys by a fingerprint of it (catalogue, form structures), so no process can
# serve another's stale copy. Sessions: with REDIS_URL (production), the database stays
# their store and Redis, shared by every process, keeps a copy read on each request
# (`cached_db`: a page no longer waits on PostgreSQL for the session; ending or flushing a
# session deletes both). Without Redis they are read from the database: a per-process
# cache would keep a session that another process ended.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if REDIS_URL:
    CACHES["sessions"] = {
        "BACKEND": "common.cache.RedisCache",  # Django's, its client kept (see there)
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "guichet",
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
