"""Dossiers and what they are filed for: the dispositifs of the catalogue (F1, P1, P2)."""

from dossiers.models.catalogue import (
    Dispositif,
    LienDispositif,
    PieceAFournir,
    Thematique,
)

__all__ = ["Dispositif", "LienDispositif", "PieceAFournir", "Thematique"]
