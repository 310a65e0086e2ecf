"""Production: secrets, hosts and database from the environment, HTTPS enforced."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASE_URL, SECRET_KEY, default_databases, env

DEBUG = False
if SECRET_KEY.startswith("insecure-"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
DATABASES = default_databases()

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The real Base Adresse Nationale (common/adresses.py).
GUICHET_BAN_ADAPTER = env("GUICHET_BAN_ADAPTER", default="common.adresses.BanApi")
# SMS through Brevo's API (GUICHET_SMS_CLE_API); the file fake is for dev, tests, demo.
GUICHET_SMS_ADAPTER = env("GUICHET_SMS_ADAPTER", default="notifications.sms.SmsBrevo")
