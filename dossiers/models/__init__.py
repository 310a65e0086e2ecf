"""Dossiers and what they are filed for: the dispositifs of the catalogue (F1, P1, P2)."""

from dossiers.models.catalogue import (
    Dispositif,
    LienDispositif,
    PieceAFournir,
    Thematique,
)
from dossiers.models.dossiers import CompteurReference, Dossier
from dossiers.models.formulaires import (
    Champ,
    ChampReferentiel,
    Ligne,
    ListeReferentiel,
    ModeleDossier,
    Onglet,
    ProprietesVue,
    ValeurListe,
    Vue,
)
from dossiers.models.versions import MigrationDossier, MigrationVersion

__all__ = [
    "Champ",
    "ChampReferentiel",
    "CompteurReference",
    "Dispositif",
    "Dossier",
    "LienDispositif",
    "Ligne",
    "ListeReferentiel",
    "MigrationDossier",
    "MigrationVersion",
    "ModeleDossier",
    "Onglet",
    "PieceAFournir",
    "ProprietesVue",
    "Thematique",
    "ValeurListe",
    "Vue",
]
