"""Filing without an account (P6, F14): the failed tries on the tracking pages.

Each failed try (a wrong tracking code or verification value, a wrong attach key, a
request for a new link) is one row per key it counts against (the visitor's address,
the code, the account…), keyed by an HMAC so no address or code is kept in clear. The
limit is read from PostgreSQL, so it holds across every web process (the default cache
is per process); rows older than the window are deleted as tries come and by the hourly
`dossiers.tentatives_purger` task.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TentativeSuivi(models.Model):
    cle = models.CharField(_("clé"), max_length=64)
    quand = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("tentative de suivi")
        verbose_name_plural = _("tentatives de suivi")
        indexes = [models.Index(fields=["cle", "quand"], name="tentative_suivi_cle_quand")]

    def __str__(self) -> str:
        return f"{self.cle[:8]}… {self.quand:%Y-%m-%d %H:%M}"
