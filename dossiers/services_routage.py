"""Routing and labels (C14): route a filed dossier to a team and/or an agent by the first
matching rule, give it a team by hand, put labels on it, follow it.

`router(dossier=…)` runs inside the deposit's transaction (`services.dossier_deposer`,
before `dossier_depose`, so a guide's « Attribuer » action on the initial statut still
has the last word) and again from the dossier page (« Réappliquer le routage »). Each
change writes a line of history; none is shown to the citizen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dossiers.formules import evaluer_condition
from dossiers.models import (
    Champ,
    Dossier,
    Equipe,
    Etiquette,
    Historique,
    RegleRoutage,
    SuiviAgent,
    Territoire,
)
from dossiers.selectors_droits import agents_pouvant_instruire

logger = logging.getLogger("guichet.dossiers")

Nature = Historique.Nature


class RoutageRefuse(ValidationError):
    """A change the rules refuse; nothing was written. The message says why."""


def _verrouiller(dossier: Dossier) -> Dossier:
    frais = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    for field in Dossier._meta.concrete_fields:
        setattr(dossier, field.attname, getattr(frais, field.attname))
    return dossier


def _historique(dossier: Dossier, *, par, nature: str, libelle: str, details: dict) -> None:
    Historique.objects.create(
        dossier=dossier,
        par=par if getattr(par, "is_authenticated", False) else None,
        nature=nature,
        libelle=libelle[:300],
        details=details,
    )


def _peut_instruire(agent) -> bool:
    return agent.can_use_crm and agent.has_perm("dossiers.instruire_dossiers")


# --- routing ---------------------------------------------------------------------------


def communes_du_dossier(dossier: Dossier) -> set[str]:
    """The INSEE codes the dossier's answers name: `commune` fields store the code,
    `adresse` fields a dict with `code_insee` (one query for the form's field types)."""
    types = dict(
        Champ.objects.filter(modele_id=dossier.modele_id, type__in=("commune", "adresse"))
        .values_list("nom", "type")
        .distinct()
    )
    codes = set()
    for nom, type_ in types.items():
        valeur = (dossier.donnees or {}).get(nom)
        if type_ == "adresse" and isinstance(valeur, dict):
            valeur = valeur.get("code_insee")
        if isinstance(valeur, str) and valeur:
            codes.add(valeur.upper())
    return codes


def territoires_englobants(territoire_id: int | None) -> set[int]:
    """The dossier's territoire and every territoire above it (one query for the tree):
    a rule naming any of them holds. Unsectorised: none."""
    if territoire_id is None:
        return set()
    parents = dict(Territoire.objects.values_list("pk", "parent_id"))
    englobants, courant = set(), territoire_id
    while courant is not None and courant not in englobants:
        englobants.add(courant)
        courant = parents.get(courant)
    return englobants


def regle_correspond(
    regle: RegleRoutage,
    dossier: Dossier,
    communes: set[str],
    territoires: set[int] | None = None,
) -> bool:
    """All of the rule's criteria hold for the dossier (an empty criterion holds). A
    field the form does not have is empty, so its criterion fails (never raises).
    `territoires`: `territoires_englobants` of the dossier's territoire, read by the
    caller when a rule names a territoire."""
    if regle.dispositif_id is not None and regle.dispositif_id != dossier.dispositif_id:
        return False
    if regle.territoire_id is not None:
        if territoires is None:
            territoires = territoires_englobants(dossier.territoire_id)
        if regle.territoire_id not in territoires:
            return False
    codes = regle.codes_communes()
    if codes and not communes.intersection(codes):
        return False
    condition = regle.condition()
    return condition is None or evaluer_condition(condition, dossier.donnees or {})


def _cible_utilisable(regle: RegleRoutage) -> bool:
    """A rule whose team was deactivated, or that names only an agent who can no longer
    instruct at all, is passed over (logged), so a stale rule never hands a dossier to
    nobody."""
    if regle.equipe_id is not None and not regle.equipe.active:
        return False
    return regle.agent_id is None or regle.equipe_id is not None or _peut_instruire(regle.agent)


def _agent_retenu(regle: RegleRoutage, dossier: Dossier) -> bool:
    """The rule's agent may instruct this dossier today (C7, C8: « instruire » on its
    dispositif, its territoire; `agents_pouvant_instruire`, as « Attribuer »). The rule
    may have been saved before the agent lost a right: then it does not give the
    dossier to them. One query, for a matching rule naming an agent only."""
    return agents_pouvant_instruire(dossier).filter(pk=regle.agent_id).exists()


@dataclass(frozen=True)
class Aiguillage:
    """What routing gives a dossier: the rule applied, and its agent when they may
    instruct the dossier (None: the rule names none, or the agent lacks the right and
    the rule's team alone applies)."""

    regle: RegleRoutage
    agent: object | None


def aiguillage(dossier: Dossier) -> Aiguillage | None:
    """The first active rule, by order, that holds for the dossier (None: none). A rule
    naming an agent who may not instruct this dossier gives its team only; a rule
    naming only such an agent is passed over (the next rule may apply)."""
    regles = (
        RegleRoutage.objects.filter(active=True)
        .filter(Q(dispositif__isnull=True) | Q(dispositif_id=dossier.dispositif_id))
        .select_related("equipe", "agent")
        .order_by("ordre", "pk")
    )
    communes = territoires = None
    for regle in regles:
        if regle.codes_communes() and communes is None:
            communes = communes_du_dossier(dossier)
        if regle.territoire_id is not None and territoires is None:
            territoires = territoires_englobants(dossier.territoire_id)
        if not regle_correspond(regle, dossier, communes or set(), territoires):
            continue
        if not _cible_utilisable(regle):
            logger.warning("regle de routage ignoree pk=%s (cible inutilisable)", regle.pk)
            continue
        if regle.agent_id is None:
            return Aiguillage(regle, None)
        if _agent_retenu(regle, dossier):
            return Aiguillage(regle, regle.agent)
        logger.warning(
            "regle de routage pk=%s : agent pk=%s sans droit sur le dossier pk=%s",
            regle.pk,
            regle.agent_id,
            dossier.pk,
        )
        if regle.equipe_id is not None:
            return Aiguillage(regle, None)
    return None


def regle_applicable(dossier: Dossier) -> RegleRoutage | None:
    """The rule `aiguillage` applies (None: none)."""
    resultat = aiguillage(dossier)
    return resultat.regle if resultat else None


@transaction.atomic
def router(*, dossier: Dossier, by=None) -> RegleRoutage | None:
    """Apply the first matching rule: its team and/or its agent (what the rule leaves
    empty is left as it is; an agent who may not instruct the dossier is not given it,
    and the history says so). Returns the rule applied, None when none matched."""
    dossier = _verrouiller(dossier)
    resultat = aiguillage(dossier)
    if resultat is None:
        return None
    return _appliquer(dossier, resultat, by)


def _appliquer(dossier: Dossier, resultat: Aiguillage, by) -> RegleRoutage:
    regle, agent = resultat.regle, resultat.agent
    champs = []
    if regle.equipe_id is not None and dossier.equipe_id != regle.equipe_id:
        dossier.equipe_id = regle.equipe_id
        champs.append("equipe")
    if agent is not None and dossier.agent_id != agent.pk:
        dossier.agent_id = agent.pk
        champs.append("agent")
    if champs:
        dossier.save(update_fields=[*champs, "updated_at"])
    cibles = [str(c) for c in (regle.equipe, agent) if c is not None]
    libelle = _("Routage (règle « %(regle)s ») : %(cibles)s") % {
        "regle": regle.nom,
        "cibles": ", ".join(cibles),
    }
    if regle.agent_id is not None and agent is None:
        libelle += _(" (%(agent)s n’a pas le droit d’instruire ce dossier : non attribué)") % {
            "agent": regle.agent
        }
    _historique(
        dossier,
        par=by,
        nature=Nature.ATTRIBUTION,
        libelle=libelle,
        details={
            "regle": regle.pk,
            "equipe": regle.equipe_id,
            "agent": agent.pk if agent else None,
            **({"agent_ecarte": regle.agent_id} if regle.agent_id and agent is None else {}),
        },
    )
    return regle


def dossier_router_au_depot(dossier: Dossier) -> None:
    """Called by the deposit, in its transaction: routing never refuses a deposit. One
    query when no rule matches (the deposit already holds the dossier's row)."""
    resultat = aiguillage(dossier)
    if resultat is not None:
        with transaction.atomic():
            _appliquer(_verrouiller(dossier), resultat, None)


@transaction.atomic
def dossier_attribuer_equipe(*, dossier: Dossier, equipe: Equipe | None, by) -> Dossier:
    """Give the dossier to a team (None: to none)."""
    if equipe is not None and not equipe.active:
        raise RoutageRefuse(_("Cette équipe n’est plus active."), code="equipe")
    dossier = _verrouiller(dossier)
    if dossier.equipe_id == (equipe.pk if equipe else None):
        return dossier
    avant = dossier.equipe_id
    dossier.equipe = equipe
    dossier.save(update_fields=["equipe", "updated_at"])
    _historique(
        dossier,
        par=by,
        nature=Nature.ATTRIBUTION,
        libelle=(
            _("Dossier confié à l’équipe %(e)s") % {"e": equipe.nom}
            if equipe
            else _("Dossier retiré de son équipe")
        ),
        details={"equipe": [avant, equipe.pk if equipe else None]},
    )
    return dossier


# --- rules' order ----------------------------------------------------------------------


@transaction.atomic
def regle_deplacer(*, regle: RegleRoutage, vers_le_haut: bool) -> None:
    """Swap the rule with its neighbour; the orders are renumbered 10, 20, 30… first so
    that equal orders (rules made in the admin) still move."""
    regles = list(RegleRoutage.objects.select_for_update().order_by("ordre", "pk"))
    index = next((i for i, r in enumerate(regles) if r.pk == regle.pk), None)
    if index is None:
        return
    autre = index - 1 if vers_le_haut else index + 1
    if 0 <= autre < len(regles):
        regles[index], regles[autre] = regles[autre], regles[index]
    for rang, r in enumerate(regles, start=1):
        if r.ordre != rang * 10:
            r.ordre = rang * 10
            r.save(update_fields=["ordre", "updated_at"])


def prochain_ordre() -> int:
    dernier = RegleRoutage.objects.order_by("-ordre").values_list("ordre", flat=True).first()
    return (dernier or 0) + 10


# --- labels ----------------------------------------------------------------------------


@transaction.atomic
def dossier_etiqueter(*, dossier: Dossier, etiquette: Etiquette, by) -> bool:
    """Put an active label on the dossier; False when it already had it."""
    if not etiquette.active:
        raise RoutageRefuse(_("Cette étiquette n’est plus proposée."), code="etiquette")
    dossier = _verrouiller(dossier)
    if dossier.etiquettes.filter(pk=etiquette.pk).exists():
        return False
    dossier.etiquettes.add(etiquette)
    _historique(
        dossier,
        par=by,
        nature=Nature.ETIQUETTE,
        libelle=_("Étiquette ajoutée : %(e)s") % {"e": etiquette.libelle},
        details={"ajoutee": etiquette.pk},
    )
    return True


@transaction.atomic
def dossier_desetiqueter(*, dossier: Dossier, etiquette: Etiquette, by) -> bool:
    """Take a label off the dossier (an inactive one too); False when it had not it."""
    dossier = _verrouiller(dossier)
    if not dossier.etiquettes.filter(pk=etiquette.pk).exists():
        return False
    dossier.etiquettes.remove(etiquette)
    _historique(
        dossier,
        par=by,
        nature=Nature.ETIQUETTE,
        libelle=_("Étiquette retirée : %(e)s") % {"e": etiquette.libelle},
        details={"retiree": etiquette.pk},
    )
    return True


# --- follows ---------------------------------------------------------------------------


def dossier_suivre(*, dossier: Dossier, agent) -> SuiviAgent:
    """The agent follows the dossier (twice is once)."""
    try:
        with transaction.atomic():
            return SuiviAgent.objects.get_or_create(agent=agent, dossier=dossier)[0]
    except IntegrityError:  # two clicks at once: the other one made it
        return SuiviAgent.objects.get(agent=agent, dossier=dossier)


def dossier_ne_plus_suivre(*, dossier: Dossier, agent) -> bool:
    return SuiviAgent.objects.filter(agent=agent, dossier=dossier).delete()[0] > 0
