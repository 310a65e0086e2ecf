"""Moves of a selection of dossiers (I3) from the CRM list: the statuts (by code, so that
a selection spanning guide versions or guides is offered what they share) and the manual
déclencheurs the selection may take, then the dossiers moved by chunks
(services_statut_lot: one transaction per chunk, the same checks, rows and actions as
one change_status per dossier) — a refusal (transition the guide does not allow, another
agent's change, a failing action) skips that dossier only, with its reason.

Synchronous for up to LOT_MAX dossiers (a few seconds); larger batches are issue 9's
Celery batches (« lots », services_lots)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.nombres import entier
from instruction import selectors, services, services_declencheurs
from instruction.models import Declencheur, Statut, VersionGuide
from instruction.services_statut_lot import Demande, statut_changer_lot

LOT_MAX = 500


@dataclass(frozen=True)
class Choix:
    valeur: str  # "statut:<code>" or "declencheur:<pk>"
    libelle: str
    nombre: int  # dossiers of the selection that may take it


@dataclass
class Bilan:
    deplaces: list = field(default_factory=list)  # (dossier, statut label)
    ignores: list = field(default_factory=list)  # (reference, reason)


def lot_choix(dossiers: list) -> list[Choix]:
    """The statuts (by code) the selected dossiers may go to — each with how many of them
    may — then the manual déclencheurs of their guides. One query per distinct current
    statut, never per dossier."""
    suivis = selectors.suivis(dossiers)
    par_statut = Counter(s.statut_id for s in suivis.values())
    exemples = {s.statut_id: s for s in suivis.values()}
    nombres: Counter[str] = Counter()
    libelles: dict[str, str] = {}
    for statut_id, nombre in par_statut.items():
        for statut in services.statuts_suivants(exemples[statut_id]):
            nombres[statut.code] += nombre
            libelles.setdefault(statut.code, f"{statut.etape.libelle} — {statut.libelle}")
    choix = [
        Choix(f"statut:{code}", libelles[code], nombre) for code, nombre in nombres.most_common()
    ]
    par_version = Counter(s.version_id for s in suivis.values())
    guide_de_version = dict(
        VersionGuide.objects.filter(pk__in=par_version).values_list("pk", "guide_id")
    )
    for declencheur in Declencheur.objects.filter(
        manuel=True, version__guide_id__in=set(guide_de_version.values())
    ).select_related("version"):
        nombre = sum(
            n
            for version, n in par_version.items()
            if guide_de_version[version] == declencheur.version.guide_id
        )
        choix.append(
            Choix(
                f"declencheur:{declencheur.pk}",
                _("Déclencheur : %(d)s") % {"d": declencheur.libelle},
                nombre,
            )
        )
    return choix


def lot_appliquer(*, dossiers: list, choix: str, by, motif: str = "") -> Bilan:
    bilan = Bilan()
    sorte, _sep, cle = choix.partition(":")
    declencheur = None
    if sorte == "declencheur":
        declencheur = Declencheur.objects.filter(pk=entier(cle), manuel=True)
        declencheur = declencheur.select_related("version", "cible").first()
    if (sorte == "declencheur" and declencheur is None) or sorte not in ("statut", "declencheur"):
        raise ValidationError({"choix": _("Choisissez une action de la liste.")})
    suivis = selectors.suivis(dossiers)
    cibles = {
        (s.version_id, s.code): s
        for s in Statut.objects.filter(
            version_id__in={s.version_id for s in suivis.values()}, code=cle
        ).select_related("etape")
    }
    if declencheur is not None:
        for dossier in dossiers:
            try:
                if dossier.pk not in suivis:
                    raise ValidationError(_("Ce dossier ne suit pas de guide d’instruction."))
                services_declencheurs.declencheur_appliquer(
                    declencheur=declencheur, dossier=dossier, by=by
                )
                bilan.deplaces.append((dossier, declencheur.libelle))
            except ValidationError as error:
                bilan.ignores.append((dossier.reference, " ".join(error.messages)))
        return bilan
    # The statut: the dossiers moved together, by chunks (services_statut_lot: the same
    # checks, rows and actions as one change_status each, a refusal skipping its dossier).
    issues: dict[int, Exception | str] = {}
    demandes = []
    for dossier in dossiers:
        suivi = suivis.get(dossier.pk)
        statut = cibles.get((suivi.version_id, cle)) if suivi is not None else None
        if suivi is None:
            issues[dossier.pk] = ValidationError(
                _("Ce dossier ne suit pas de guide d’instruction.")
            )
        elif statut is None:
            issues[dossier.pk] = ValidationError(_("Son guide n’a pas ce statut."))
        else:
            demandes.append(Demande(dossier=dossier, statut=statut, attendu=suivi.statut))
    for issue in statut_changer_lot(demandes=demandes, by=by, reason=motif):
        issues[issue.demande.dossier.pk] = issue.erreur or issue.demande.statut.libelle
    for dossier in dossiers:
        issue = issues[dossier.pk]
        if isinstance(issue, str):
            bilan.deplaces.append((dossier, issue))
        elif isinstance(issue, ValidationError):
            bilan.ignores.append((dossier.reference, " ".join(issue.messages)))
        else:
            raise issue  # unexpected: as before, not a refusal to report
    return bilan
