"""Hooks higher apps register so a merge moves their rows too (imports point down).

`dossiers` registers e.g. `lambda conserve, absorbe: Dossier.objects.filter(
demandeur_individu=absorbe).update(demandeur_individu=conserve)` and returns a count.
"""

from collections.abc import Callable

INDIVIDU_FUSION_HOOKS: dict[str, Callable] = {}
PROFIL_FUSION_HOOKS: dict[str, Callable] = {}


def on_individu_fusion(name: str):
    def register(func):
        INDIVIDU_FUSION_HOOKS[name] = func
        return func

    return register


def on_profil_fusion(name: str):
    def register(func):
        PROFIL_FUSION_HOOKS[name] = func
        return func

    return register
