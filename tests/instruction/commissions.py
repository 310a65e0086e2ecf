"""Helpers of the commission tests: a dispositif with a published form and guide, its
dossiers in instruction, and a commission deciding on them."""

import datetime as dt

from django.utils import timezone

from instruction import services
from instruction.models import Commission, Seance
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie


def dispositif_instruit():
    dispositif = dispositif_publie(code="COM")
    statuts = guide_publie(dispositif)
    return dispositif, statuts


def dossier_en_instruction(dispositif, statuts, user=None, *, nom="Martin"):
    dossier = deposer(dispositif, user, donnees={"nom": nom, "montant": "1000"})
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    return dossier


def commission(dispositif, **kwargs) -> Commission:
    defaults = {
        "nom": f"Commission {dispositif.code}",
        "statut_favorable": "accorde",
        "statut_defavorable": "refuse",
    }
    commission = Commission.objects.create(**{**defaults, **kwargs})
    commission.dispositifs.add(dispositif)
    return commission


def seance(commission, **kwargs) -> Seance:
    return Seance.objects.create(
        commission=commission,
        date=kwargs.pop("date", timezone.now() + dt.timedelta(days=7)),
        lieu=kwargs.pop("lieu", "Salle du conseil"),
        **kwargs,
    )
