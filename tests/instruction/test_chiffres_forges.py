"""A forged déclencheur id in a batch action's choice is refused like an unknown one."""

import pytest
from django.core.exceptions import ValidationError

from instruction.services_lot import lot_appliquer


@pytest.mark.django_db
@pytest.mark.parametrize("valeur", ["²", "١", "99999999999999999999", "-1", "1e3"])
def test_forged_declencheur_in_a_batch_choice(valeur):
    with pytest.raises(ValidationError) as erreur:
        lot_appliquer(dossiers=[], choix=f"declencheur:{valeur}", by=None)
    assert "choix" in erreur.value.message_dict
