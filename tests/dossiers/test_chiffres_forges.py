"""A forged piece choice (« depot:² ») reads as no piece chosen, never a 500."""

import pytest

from dossiers.services_droits import parse_cases
from dossiers.services_pieces import _choix


@pytest.mark.parametrize("valeur", ["²", "١", "99999999999999999999", "-1", "1e3", ""])
def test_forged_piece_choice_names_no_piece(valeur):
    assert _choix(f"depot:{valeur}") == ("depot", None)


def test_a_well_formed_piece_choice_is_read():
    assert _choix("depot:42") == ("depot", 42)


def test_forged_cells_of_the_rights_grid_are_ignored():
    cases, ignores = parse_cases(
        ["²:1:voir", "1:99999999999999999999:voir", "-1:2:voir", "3:4:voir"]
    )
    assert cases == {(3, 4, "voir")} and ignores == 3
