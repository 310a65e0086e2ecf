"""Statistics of the CRM (C13): dossiers of an agent's scope counted per dispositif,
étape, statut, territoire (C8; « Non sectorisé » for the dossiers in none) or month of deposit — filed, in progress, closed, late — with the time
from deposit to closure (mean and median). One grouped query plus one for the totals,
whatever the number of dossiers or groups; everything through `dossiers_visible_to`,
so a dispositif outside the agent's rights counts nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
)
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from instruction.selectors_tableau import q_en_retard

REGROUPEMENTS = {
    "dispositif": _("Dispositif"),
    "etape": _("Étape"),
    "statut": _("Statut"),
    "territoire": _("Territoire"),
    "mois": _("Mois de dépôt"),
}
_JOUR = datetime.timedelta(days=1)


class Mediane(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median of intervals or numbers."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


@dataclass
class Ligne:
    libelle: str
    dispositif: str
    deposes: int
    en_cours: int
    clos: int
    en_retard: int
    duree_moyenne: datetime.timedelta | None
    duree_mediane: datetime.timedelta | None
    parent: str = ""  # by territoire: the parent territoire's name, if any

    @property
    def part_retard(self) -> float | None:
        """Late share of the dossiers in progress, in %."""
        return round(100 * self.en_retard / self.en_cours, 1) if self.en_cours else None

    @property
    def jours_moyenne(self) -> float | None:
        return _jours(self.duree_moyenne)

    @property
    def jours_mediane(self) -> float | None:
        return _jours(self.duree_mediane)


def _jours(duree: datetime.timedelta | None) -> float | None:
    return round(duree / _JOUR, 1) if duree is not None else None


@dataclass
class Statistiques:
    regroupement: str
    lignes: list[Ligne]
    total: Ligne

    @property
    def maximum(self) -> int:
        return max((ligne.deposes for ligne in self.lignes), default=0)


def _mesures() -> dict:
    clos = Q(statut=Dossier.Statut.CLOS)
    duree = ExpressionWrapper(F("clos_le") - F("depose_le"), output_field=DurationField())
    return {
        "deposes": Count("pk"),
        "en_cours": Count("pk", filter=Q(statut=Dossier.Statut.DEPOSE)),
        "clos": Count("pk", filter=clos),
        "en_retard": Count("pk", filter=q_en_retard()),
        "duree_moyenne": Avg(duree, filter=clos & Q(clos_le__isnull=False)),
        "duree_mediane": Mediane(duree, filter=clos & Q(clos_le__isnull=False)),
    }


_CLES = {
    "dispositif": ("dispositif__titre",),
    "etape": ("dispositif__titre", "suivi_instruction__statut__etape__libelle"),
    "statut": ("dispositif__titre", "suivi_instruction__statut__libelle"),
}


def statistiques(
    agent,
    *,
    regroupement: str = "dispositif",
    dispositif: int | None = None,
    du: datetime.date | None = None,
    au: datetime.date | None = None,
    hors_portee: bool = False,
) -> Statistiques:
    """The table for `regroupement` (a key of REGROUPEMENTS), the dossiers filed between
    `du` and `au` (inclusive) of `dispositif` (None: all) that the agent may see;
    `hors_portee`: a dispositif outside the agent's scope was asked for, nothing is
    counted (never every dispositif instead)."""
    if regroupement not in REGROUPEMENTS:
        regroupement = "dispositif"
    dossiers = dossiers_visible_to(agent).select_related(None)
    if hors_portee:
        dossiers = dossiers.none()
    if dispositif:
        dossiers = dossiers.filter(dispositif_id=dispositif)
    if du:
        dossiers = dossiers.filter(depose_le__date__gte=du)
    if au:
        dossiers = dossiers.filter(depose_le__date__lte=au)
    mesures = _mesures()
    if regroupement == "mois":
        groupes = (
            dossiers.annotate(mois=TruncMonth("depose_le"))
            .values("mois")
            .annotate(**mesures)
            .order_by("mois")
        )
        lignes = [
            _ligne(g, libelle=f"{g['mois']:%m/%Y}" if g["mois"] else "—", dispositif="")
            for g in groupes
        ]
    elif regroupement == "territoire":
        # By id as well as name: two sous-territoires may share a name (« Centre »).
        groupes = (
            dossiers.values("territoire_id", "territoire__nom", "territoire__parent__nom")
            .annotate(**mesures)
            .order_by(F("territoire__nom").asc(nulls_last=True), "territoire_id")
        )
        lignes = [
            _ligne(
                g,
                libelle=(g["territoire__nom"] if g["territoire_id"] else str(_("Non sectorisé"))),
                dispositif="",
                parent=g["territoire__parent__nom"] or "",
            )
            for g in groupes
        ]
    else:
        cles = _CLES[regroupement]
        groupes = dossiers.values(*cles).annotate(**mesures).order_by(*cles)
        lignes = [
            _ligne(
                g,
                libelle=(g[cles[-1]] or str(_("Hors guide"))),
                dispositif=g["dispositif__titre"] if len(cles) > 1 else "",
            )
            for g in groupes
        ]
    total = _ligne(dossiers.aggregate(**mesures), libelle=str(_("Total")), dispositif="")
    return Statistiques(regroupement=regroupement, lignes=lignes, total=total)


def _ligne(valeurs: dict, *, libelle: str, dispositif: str, parent: str = "") -> Ligne:
    return Ligne(
        libelle=libelle,
        dispositif=dispositif,
        parent=parent,
        deposes=valeurs["deposes"],
        en_cours=valeurs["en_cours"],
        clos=valeurs["clos"],
        en_retard=valeurs["en_retard"],
        duree_moyenne=valeurs["duree_moyenne"],
        duree_mediane=valeurs["duree_mediane"],
    )
