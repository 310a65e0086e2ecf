"""Reads of the agent's CRM dashboard (C1): what waits for the agent within their scope
(`dossiers_visible_to`). Each read is one or two queries whatever the data; counts stop
at PLAFOND (« plus de 1 000 ») so that a large scope never makes the page count
everything."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Now
from django.utils import timezone

from dossiers.models import Dossier, Justificatif
from dossiers.selectors import dossiers_visible_to
from dossiers.selectors_droits import droits_sur_la_liste

PLAFOND = 1000
LIGNES = 8
_JOUR = datetime.timedelta(days=1)


@dataclass
class Compte:
    """A count that stopped at PLAFOND: `plus` when there are more."""

    nombre: int
    plus: bool = False


def compter(queryset) -> Compte:
    n = queryset.values("pk")[: PLAFOND + 1].count()
    return Compte(min(n, PLAFOND), n > PLAFOND)


def q_en_retard() -> Q:
    """In progress and in its étape longer than the étape's target duration (I5, as
    SuiviInstruction.en_retard says it for one dossier)."""
    limite = ExpressionWrapper(
        Now() - F("suivi_instruction__statut__etape__duree_cible") * Value(_JOUR),
        output_field=DurationField(),
    )
    return Q(
        statut=Dossier.Statut.DEPOSE,
        suivi_instruction__statut__cloture=False,
        suivi_instruction__statut__etape__duree_cible__isnull=False,
        suivi_instruction__etape_entree_le__lt=limite,
    )


def _en_cours(agent):
    return dossiers_visible_to(agent).filter(statut=Dossier.Statut.DEPOSE)


def _liste(queryset, ordre=("-depose_le", "-pk")):
    return list(
        queryset.select_related("dispositif", "demandeur_individu", "demandeur_profil").order_by(
            *ordre
        )[:LIGNES]
    )


def mes_dossiers(agent) -> dict:
    dossiers = _en_cours(agent).filter(agent=agent)
    return {"compte": compter(dossiers), "dossiers": _liste(dossiers)}


def non_attribues(agent) -> dict:
    dossiers = _en_cours(agent).filter(agent__isnull=True)
    return {"compte": compter(dossiers), "dossiers": _liste(dossiers)}


def en_retard(agent) -> dict:
    dossiers = _en_cours(agent).filter(q_en_retard())
    return {
        "compte": compter(dossiers),
        "dossiers": _liste(dossiers, ("suivi_instruction__etape_entree_le", "pk")),
    }


@dataclass
class Bannette:
    dispositif_id: int
    dispositif: str
    total: int = 0
    statuts: list[tuple[str, str, int]] = field(default_factory=list)  # étape, statut, n


def bannettes(agent) -> dict:
    """Dossiers in progress per dispositif, then per étape and statut of its guide (the
    statuts of every version of the guide, by label): one grouped query."""
    groupes = (
        _en_cours(agent)
        .values(
            "dispositif_id",
            "dispositif__titre",
            "suivi_instruction__statut__etape__ordre",
            "suivi_instruction__statut__etape__libelle",
            "suivi_instruction__statut__ordre",
            "suivi_instruction__statut__libelle",
        )
        .annotate(n=Count("pk"))
        .order_by(
            "dispositif__titre",
            "suivi_instruction__statut__etape__ordre",
            "suivi_instruction__statut__ordre",
        )
    )
    par_dispositif: dict[int, Bannette] = {}
    for g in groupes:
        bannette = par_dispositif.setdefault(
            g["dispositif_id"], Bannette(g["dispositif_id"], g["dispositif__titre"])
        )
        bannette.total += g["n"]
        etape = g["suivi_instruction__statut__etape__libelle"] or ""
        statut = g["suivi_instruction__statut__libelle"] or ""
        for i, (e, s, n) in enumerate(bannette.statuts):
            if (e, s) == (etape, statut):  # the same statut in two versions of the guide
                bannette.statuts[i] = (e, s, n + g["n"])
                break
        else:
            bannette.statuts.append((etape, statut, g["n"]))
    return {"bannettes": list(par_dispositif.values())}


def justificatifs_renvoyes(agent) -> dict:
    """Pieces sent again by the citizen after an agent refused them (or after they
    expired): received since their last decision."""
    justificatifs = Justificatif.objects.filter(
        dossier__in=_en_cours(agent).values("pk"),
        statut=Justificatif.Statut.RECU,
        decide_le__isnull=False,
        recu_le__gt=F("decide_le"),
    )
    return {
        "compte": compter(justificatifs),
        "justificatifs": list(
            justificatifs.select_related("type", "dossier").order_by("-recu_le", "-pk")[:LIGNES]
        ),
    }


def dispositifs(agent) -> dict:
    """The dispositifs the agent has dossiers of, with how many are in progress and how
    many filed in the last 7 days: one grouped query."""
    semaine = timezone.now() - datetime.timedelta(days=7)
    groupes = (
        dossiers_visible_to(agent)
        .values("dispositif_id", "dispositif__titre")
        .annotate(
            en_cours=Count("pk", filter=Q(statut=Dossier.Statut.DEPOSE)),
            recents=Count("pk", filter=Q(depose_le__gte=semaine)),
        )
        .order_by("dispositif__titre")
    )
    # « Saisir un nouveau dossier » only for who instructs a dispositif (C7; the scope is
    # already read: no query).
    return {
        "dispositifs": list(groupes),
        "peut_saisir": droits_sur_la_liste(agent)["instruire"],
    }
