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
from dossiers.models.partage import (
    CoEditeur,
    InvitationDossier,
    StatutJeton,
    TransfertDossier,
)
from dossiers.models.versions import MigrationDossier, MigrationVersion

__all__ = [
    "Champ",
    "ChampReferentiel",
    "Classement",
    "CoEditeur",
    "CompteurReference",
    "Dispositif",
    "Dossier",
    "Historique",
    "InvitationDossier",
    "LienDispositif",
    "Ligne",
    "ListeReferentiel",
    "MigrationDossier",
    "MigrationVersion",
    "ModeleDossier",
    "Onglet",
    "PieceAFournir",
    "ProprietesVue",
    "StatutJeton",
    "Thematique",
    "TransfertDossier",
    "ValeurListe",
    "VerificationSuivi",
    "Vue",
]
