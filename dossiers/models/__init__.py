"""Dossiers and what they are filed for: the dispositifs of the catalogue (F1, P1, P2)."""

from dossiers.models.catalogue import (
    Dispositif,
    LienDispositif,
    PieceAFournir,
    Thematique,
    VerificationSuivi,
)
from dossiers.models.dossiers import Classement, CompteurReference, Dossier, Historique
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
from dossiers.models.hors_compte import TentativeSuivi
from dossiers.models.versions import MigrationDossier, MigrationVersion

__all__ = [
    "Champ",
    "ChampReferentiel",
    "Classement",
    "CompteurReference",
    "Dispositif",
    "Dossier",
    "Historique",
    "LienDispositif",
    "Ligne",
    "ListeReferentiel",
    "MigrationDossier",
    "MigrationVersion",
    "ModeleDossier",
    "Onglet",
    "PieceAFournir",
    "ProprietesVue",
    "TentativeSuivi",
    "Thematique",
    "ValeurListe",
    "VerificationSuivi",
    "Vue",
]
