"""Open sessions (allauth.usersessions) recorded at login and refreshed now and then.

allauth's UserSessionsMiddleware writes the session's record on every authenticated
request (three queries each). Here the record is made when the user logs in, by any
door (portal, CRM, admin: Django's `user_logged_in`), and the middleware refreshes its
IP, browser and last activity at most once every ACTIVITY_INTERVAL seconds, so a page
costs no query for it in between.
"""

import time

from allauth.usersessions import app_settings
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

ACTIVITY_INTERVAL = 300
SEEN = "guichet_session_vue"  # when the record was last written (session data)
# Session engines whose store is the django_session table (cached_db writes through it).
DATABASE_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


def record_session(sender, request, user, **kwargs):
    """Django's `user_logged_in`: list the new session (not for logins without a
    client, such as the test client's force_login)."""
    if request is None or not request.META.get("REMOTE_ADDR") or not hasattr(request, "session"):
        return
    UserSession.objects.create_from_request(request)
    request.session[SEEN] = int(time.time())


class UserSessionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            app_settings.TRACK_ACTIVITY
            and session is not None
            and user is not None
            and user.is_authenticated
            and SEEN in session
            and time.time() - session[SEEN] >= ACTIVITY_INTERVAL
        ):
            UserSession.objects.create_from_request(request)
            session[SEEN] = int(time.time())
        return self.get_response(request)


def sessions_ouvertes(user) -> int:
    """How many of the account's recorded sessions are still open (one query when the
    database holds the sessions, cached or not; allauth's purge_and_list checks them one
    by one otherwise)."""
    if settings.SESSION_ENGINE not in DATABASE_ENGINES:
        return len(UserSession.objects.purge_and_list(user))
    open_keys = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=open_keys).count()
