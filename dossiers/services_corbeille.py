"""The trash (C14): a dossier put in the trash vanishes from every agent's query
(`dossiers_visible_to`) and from its citizens' (`dossiers_of`) until an agent restores it;
it is deleted for good from the trash page, or by beat once it has stayed there
`GUICHET_CORBEILLE_JOURS` days (`corbeille_purger`). Both moves write a line of history;
the final deletion is `services_gestion.dossier_supprimer` (its audit line in the log).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import services_gestion
from dossiers.models import Dossier, Historique

logger = logging.getLogger("guichet.dossiers")


class CorbeilleRefusee(services_gestion.GestionRefusee):
    pass


def _verrouiller(dossier: Dossier) -> Dossier:
    frais = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    dossier.supprime_le, dossier.supprime_par_id = frais.supprime_le, frais.supprime_par_id
    return dossier


@transaction.atomic
def dossier_mettre_a_la_corbeille(*, dossier: Dossier, by, maintenant=None) -> Dossier:
    dossier = _verrouiller(dossier)
    if dossier.supprime_le is not None:
        raise CorbeilleRefusee(_("Ce dossier est déjà dans la corbeille."), code="corbeille")
    dossier.supprime_le = maintenant or timezone.now()
    dossier.supprime_par = by
    dossier.save(update_fields=["supprime_le", "supprime_par", "updated_at"])
    Historique.objects.create(
        dossier=dossier,
        par=by,
        nature=Historique.Nature.CORBEILLE,
        libelle=_("Dossier mis à la corbeille"),
        details={"corbeille": True},
    )
    return dossier


@transaction.atomic
def dossier_restaurer(*, dossier: Dossier, by) -> Dossier:
    dossier = _verrouiller(dossier)
    if dossier.supprime_le is None:
        raise CorbeilleRefusee(_("Ce dossier n’est pas dans la corbeille."), code="corbeille")
    dossier.supprime_le = None
    dossier.supprime_par = None
    dossier.save(update_fields=["supprime_le", "supprime_par", "updated_at"])
    Historique.objects.create(
        dossier=dossier,
        par=by,
        nature=Historique.Nature.CORBEILLE,
        libelle=_("Dossier restauré depuis la corbeille"),
        details={"corbeille": False},
    )
    return dossier


@transaction.atomic
def dossier_supprimer_definitivement(*, dossier: Dossier, by) -> str:
    """Only a dossier already in the trash is deleted for good (its reference back)."""
    if _verrouiller(dossier).supprime_le is None:
        raise CorbeilleRefusee(
            _("Mettez d’abord le dossier à la corbeille."), code="pas_dans_la_corbeille"
        )
    return services_gestion.dossier_supprimer(dossier=dossier, by=by)


def expires(maintenant=None):
    limite = (maintenant or timezone.now()) - timedelta(days=settings.GUICHET_CORBEILLE_JOURS)
    return Dossier.objects.filter(supprime_le__lt=limite)


def corbeille_purger(*, maintenant=None) -> int:
    """Delete for good the dossiers past their time in the trash, each in its own
    transaction, re-checked under lock (restored meanwhile: kept). Safe to run twice."""
    supprimes = 0
    for pk in expires(maintenant).values_list("pk", flat=True):
        with transaction.atomic():
            dossier = expires(maintenant).select_for_update(skip_locked=True).filter(pk=pk).first()
            if dossier is None:
                continue
            services_gestion.dossier_supprimer(dossier=dossier, by=None)
            supprimes += 1
    return supprimes
