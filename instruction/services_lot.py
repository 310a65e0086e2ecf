"""Moves of a selection of dossiers (I3) from the CRM list: the statuts (by code, so that
a selection spanning guide versions or guides is offered what they share) and the manual
déclencheurs the selection may take, then each dossier changed in its own transaction —
a refusal (transition the guide does not allow, another agent's change, a failing
action) skips that dossier only, with its reason.

Synchronous for up to LOT_MAX dossiers (a few seconds); larger batches are issue 9's
Celery batches (« lots »), which will call the same per-dossier service."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.nombres import entier
from instruction import selectors, services, services_declencheurs
from instruction.models import Declencheur, Statut, VersionGuide

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
    for dossier in dossiers:
        suivi = suivis.get(dossier.pk)
        try:
            if suivi is None:
                raise ValidationError(_("Ce dossier ne suit pas de guide d’instruction."))
            if declencheur is not None:
                services_declencheurs.declencheur_appliquer(
                    declencheur=declencheur, dossier=dossier, by=by
                )
                bilan.deplaces.append((dossier, declencheur.libelle))
                continue
            statut = cibles.get((suivi.version_id, cle))
            if statut is None:
                raise ValidationError(_("Son guide n’a pas ce statut."))
            services.change_status(
                dossier=dossier, statut=statut, by=by, reason=motif, attendu=suivi.statut
            )
            bilan.deplaces.append((dossier, statut.libelle))
        except ValidationError as error:
            bilan.ignores.append((dossier.reference, " ".join(error.messages)))
    return bilan
