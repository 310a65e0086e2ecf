"""Dossiers and what they are filed for: the dispositifs of the catalogue (F1, P1, P2)."""

from dossiers.models.catalogue import (
    Dispositif,
    LienDispositif,
    PieceAFournir,
    Thematique,
    VerificationSuivi,
)
from dossiers.models.compteurs import CompteurCarte, CompteurDepots
from dossiers.models.conversation import (
    Conversation,
    LectureConversation,
    MessageDossier,
    PieceJointeMessage,
)
from dossiers.models.dossiers import Classement, CompteurReference, Dossier, Historique
from dossiers.models.droits import DroitDispositif, ProfilMetier
from dossiers.models.exports import Export, FormatExport, JetonFlux
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
from dossiers.models.justificatifs import (
    FormatJustificatif,
    Justificatif,
    PieceDeposee,
    RegleTypeJustificatif,
    TypeJustificatif,
    VersionJustificatif,
)
from dossiers.models.partage import (
    CoEditeur,
    InvitationDossier,
    StatutJeton,
    TransfertDossier,
)
from dossiers.models.routage import (
    Equipe,
    Etiquette,
    PreferenceResume,
    RegleRoutage,
    ResumeSuivi,
    SuiviAgent,
)
from dossiers.models.territoires import Secteur, Territoire, TypeTerritoire
from dossiers.models.versions import MigrationDossier, MigrationVersion
from dossiers.models.vues import VueListe

__all__ = [
    "Champ",
    "ChampReferentiel",
    "Classement",
    "CoEditeur",
    "CompteurCarte",
    "CompteurDepots",
    "CompteurReference",
    "Conversation",
    "Dispositif",
    "Dossier",
    "Export",
    "FormatExport",
    "Equipe",
    "Etiquette",
    "DroitDispositif",
    "FormatJustificatif",
    "Historique",
    "LectureConversation",
    "Justificatif",
    "InvitationDossier",
    "JetonFlux",
    "LienDispositif",
    "Ligne",
    "ListeReferentiel",
    "MigrationDossier",
    "MessageDossier",
    "MigrationVersion",
    "ModeleDossier",
    "Onglet",
    "PieceDeposee",
    "PieceJointeMessage",
    "PieceAFournir",
    "ProfilMetier",
    "PreferenceResume",
    "ProprietesVue",
    "RegleRoutage",
    "ResumeSuivi",
    "SuiviAgent",
    "TentativeSuivi",
    "RegleTypeJustificatif",
    "Secteur",
    "Territoire",
    "Thematique",
    "TypeJustificatif",
    "TypeTerritoire",
    "StatutJeton",
    "Thematique",
    "TransfertDossier",
    "ValeurListe",
    "VerificationSuivi",
    "VersionJustificatif",
    "Vue",
    "VueListe",
]
