"""The form factory's two small languages, evaluated the same way on the server
(authoritative) and in the page (static/js/formules.js), never with eval:

- conditions (F5): JSON that shows or hides onglets, sections and champs
  (dossiers/formules/conditions.py);
- calculs (F4): formulas over other fields, parsed here into a tree that the page
  evaluates as JSON (dossiers/formules/calculs.py).

Both share dossiers/formules/valeurs.py: what counts as empty, how values compare, and
exact decimal arithmetic.
"""

from dossiers.formules.calculs import (
    Ast,
    ErreurCalcul,
    ErreurFormule,
    analyser,
    ast_depuis_json,
    ast_en_json,
    en_texte,
    evaluer,
    references,
    valider_calcul,
)
from dossiers.formules.conditions import (
    champs_references,
    evaluer_condition,
    nature_du_type,
    valider_condition,
)
from dossiers.formules.valeurs import texte_decimal

__all__ = [
    "Ast",
    "ErreurCalcul",
    "ErreurFormule",
    "analyser",
    "ast_depuis_json",
    "ast_en_json",
    "champs_references",
    "en_texte",
    "evaluer",
    "evaluer_condition",
    "nature_du_type",
    "references",
    "texte_decimal",
    "valider_calcul",
    "valider_condition",
]
