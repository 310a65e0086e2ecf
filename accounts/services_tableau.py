"""The agent's dashboard composition (C1): which dashlets, in which order. The dashlets
themselves are registered by the front-ends (common.extensions).

Without a composition of their own, an agent sees their profils métier's default
dashboard (`tableau_par_defaut`: each profil's dashlets in its order, the profils by
libellé, a dashlet once — the union, so that no profil's block goes missing), less the
dashlets they may not have; when no profil proposes one, every dashlet they may have.
Their first change starts their own composition from what they saw; « revenir au
tableau de mon profil » deletes it."""

from __future__ import annotations

from django.db import transaction

from accounts.models import TableauDeBord
from common.extensions import dashlets_disponibles, tableau_par_defaut


def codes_par_defaut(agent) -> list[str]:
    """What the agent sees without a composition of their own: their profils' default
    dashboard (the dashlets they may have), else every dashlet they may have."""
    disponibles = [d.code for d in dashlets_disponibles(agent)]
    proposes = [code for code in tableau_par_defaut(agent) if code in disponibles]
    return proposes or disponibles


def a_son_tableau(agent) -> bool:
    return TableauDeBord.objects.filter(user=agent).exists()


def codes_du_tableau(agent) -> list[str]:
    """The agent's dashlets in order: their choice (less any they may no longer have, or
    that no longer exists), else their profils' default."""
    choix = TableauDeBord.objects.filter(user=agent).values_list("dashlets", flat=True).first()
    if choix is None:
        return codes_par_defaut(agent)
    disponibles = {d.code for d in dashlets_disponibles(agent)}
    return [code for code in choix if code in disponibles]


@transaction.atomic
def _modifier(agent, changer) -> list[str]:
    tableau, _cree = TableauDeBord.objects.select_for_update().get_or_create(
        user=agent, defaults={"dashlets": codes_par_defaut(agent)}
    )
    disponibles = {d.code for d in dashlets_disponibles(agent)}
    codes = [code for code in tableau.dashlets if code in disponibles]
    codes = changer(codes, disponibles)
    tableau.dashlets = codes
    tableau.save(update_fields=["dashlets", "modifie_le"])
    return codes


def dashlet_ajouter(*, agent, code: str) -> list[str]:
    """Add at the end; an unknown code, or one the agent may not have, changes nothing."""
    return _modifier(
        agent, lambda codes, dispo: [*codes, code] if code in dispo and code not in codes else codes
    )


def dashlet_retirer(*, agent, code: str) -> list[str]:
    return _modifier(agent, lambda codes, dispo: [c for c in codes if c != code])


def dashlet_deplacer(*, agent, code: str, sens: int) -> list[str]:
    """Move one place up (sens = -1) or down (+1); at an end it stays."""

    def deplacer(codes, dispo):
        if code not in codes:
            return codes
        i = codes.index(code)
        j = i + (-1 if sens < 0 else 1)
        if 0 <= j < len(codes):
            codes[i], codes[j] = codes[j], codes[i]
        return codes

    return _modifier(agent, deplacer)


def tableau_reinitialiser(*, agent) -> list[str]:
    TableauDeBord.objects.filter(user=agent).delete()
    return codes_du_tableau(agent)
