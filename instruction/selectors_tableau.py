"""Reads of the agent's CRM dashboard (C1): what waits for the agent within their scope
(`dossiers_visible_to`). Each read is one or two queries whatever the data; counts stop
at PLAFOND (« plus de 1 000 ») so that a large scope never makes the page count
everything."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Now
from django.utils import timezone

from dossiers import selectors_compteurs
from dossiers.models import Dispositif, Dossier, Justificatif
from dossiers.selectors import dossiers_visible_to
from dossiers.selectors_droits import droits_sur_la_liste
from instruction.models import CompteurBannette, Statut

PLAFOND = 1000
LIGNES = 8
_JOUR = datetime.timedelta(days=1)


@dataclass
class Compte:
    """A count that stopped at PLAFOND: `plus` when there are more."""

    nombre: int
    plus: bool = False


def compter(queryset) -> Compte:
    # No ORDER BY: with the model's default one PostgreSQL sorted every matching row
    # before keeping PLAFOND + 1 of them (a scan of the table at scale).
    n = queryset.order_by().values("pk")[: PLAFOND + 1].count()
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
    # A filed dossier always has its filing date; saying so lets the backward walk of
    # the index (depose_le, id) start past the drafts' NULLs (sorted first going down:
    # 150,000 entries at 1,000,000 dossiers).
    return list(
        queryset.filter(depose_le__isnull=False)
        .select_related("dispositif", "demandeur_individu", "demandeur_profil")
        .order_by(*ordre)[:LIGNES]
    )


def mes_dossiers(agent) -> dict:
    dossiers = _en_cours(agent).filter(agent=agent)
    return {"compte": compter(dossiers), "dossiers": _liste(dossiers)}


def non_attribues(agent) -> dict:
    dossiers = _en_cours(agent).filter(agent__isnull=True)
    return {"compte": compter(dossiers), "dossiers": _liste(dossiers)}


def en_retard(agent) -> dict:
    """Late on their étape: the dossier's own copy of its échéance (`tri_echeance`,
    I5), as the list's « en retard » filter reads it — the earliest first, walking the
    index (tri_echeance, id) instead of sorting every late dossier of the scope."""
    dossiers = _en_cours(agent).filter(tri_echeance__lte=timezone.now())
    return {
        "compte": compter(dossiers),
        "dossiers": _liste(dossiers, ("tri_echeance", "pk")),
    }


@dataclass
class Bannette:
    dispositif_id: int
    dispositif: str
    total: int = 0
    statuts: list[tuple[str, str, int]] = field(default_factory=list)  # étape, statut, n


_MEMO = "_tableau_memo"


@contextmanager
def une_page(agent):
    """While the dashboard's page is built (crm/tableau_de_bord/views.home): what two
    dashlets both read — the in-progress counter of « Bannettes » and « Dispositifs »
    — is read once and shared; forgotten afterwards (never stale)."""
    setattr(agent, _MEMO, {})
    try:
        yield
    finally:
        delattr(agent, _MEMO)


def _en_cours_par_statut(agent) -> list[dict]:
    """Dossiers in progress per dispositif and statut of its guide, from the counter
    (instruction/models_compteurs.py) within the agent's scope: rows {dispositif_id,
    dispositif__titre, statut_id, n}. One query, a few rows per dispositif and
    territoire whatever the number of dossiers; once per dashboard page (`une_page`)."""
    memo = getattr(agent, _MEMO, None)
    if memo is None:
        return _lire_en_cours_par_statut(agent)
    if "en_cours_par_statut" not in memo:
        memo["en_cours_par_statut"] = _lire_en_cours_par_statut(agent)
    return memo["en_cours_par_statut"]


def _lire_en_cours_par_statut(agent) -> list[dict]:
    return list(
        selectors_compteurs.dans_la_portee(CompteurBannette.objects.all(), agent)
        .values("dispositif_id", "dispositif__titre", "statut_id")
        .annotate(n=Sum("nombre"))
        .filter(n__gt=0)
        .order_by()
    )


def bannettes(agent) -> dict:
    """Dossiers in progress per dispositif, then per étape and statut of its guide (the
    statuts of every version of the guide, by label): the counter's rows, then the
    statuts' labels — two queries whatever the number of dossiers."""
    lignes = _en_cours_par_statut(agent)
    statuts = {
        s["pk"]: s
        for s in Statut.objects.filter(
            pk__in=sorted({g["statut_id"] for g in lignes if g["statut_id"]})
        ).values("pk", "ordre", "libelle", "etape__ordre", "etape__libelle")
    }

    def rang(g):
        s = statuts.get(g["statut_id"])
        # Outside any guide (or a statut since deleted) last, as a NULL sorted last.
        return (1, 0, 0) if s is None else (0, s["etape__ordre"], s["ordre"])

    par_dispositif: dict[int, Bannette] = {}
    for g in sorted(lignes, key=lambda g: (g["dispositif__titre"], g["dispositif_id"], rang(g))):
        bannette = par_dispositif.setdefault(
            g["dispositif_id"], Bannette(g["dispositif_id"], g["dispositif__titre"])
        )
        bannette.total += g["n"]
        s = statuts.get(g["statut_id"]) or {}
        etape, statut = s.get("etape__libelle") or "", s.get("libelle") or ""
        for i, (e, t, n) in enumerate(bannette.statuts):
            if (e, t) == (etape, statut):  # the same statut in two versions of the guide
                bannette.statuts[i] = (e, t, n + g["n"])
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
    """The dispositifs the agent has dossiers in progress of, or filed in the last seven
    days (today and the six days before, UTC dates), with both counts: from the
    counters, two or three queries whatever the number of dossiers."""
    groupes: dict[int, dict] = {}

    def groupe(pk, titre):
        return groupes.setdefault(
            pk, {"dispositif_id": pk, "dispositif__titre": titre, "en_cours": 0, "recents": 0}
        )

    for g in _en_cours_par_statut(agent):
        groupe(g["dispositif_id"], g["dispositif__titre"])["en_cours"] += g["n"]
    debut = timezone.now().astimezone(datetime.UTC).date() - datetime.timedelta(days=6)
    recents = selectors_compteurs.depots_depuis(agent, debut)
    manquants = sorted(set(recents) - set(groupes))
    for pk, titre in Dispositif.objects.filter(pk__in=manquants).values_list("pk", "titre"):
        groupe(pk, titre)
    for pk, n in recents.items():
        if pk in groupes:
            groupes[pk]["recents"] = n
    return {
        "dispositifs": sorted(
            groupes.values(), key=lambda g: (g["dispositif__titre"], g["dispositif_id"])
        ),
        # « Saisir un nouveau dossier » only for who instructs a dispositif (C7; the
        # scope is already read: no query).
        "peut_saisir": droits_sur_la_liste(agent)["instruire"],
    }
