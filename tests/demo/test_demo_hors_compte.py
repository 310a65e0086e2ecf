"""The demo's request filed without an account (P6): its printed code and key work."""

import pytest

from demo import hors_compte
from dossiers import services_hors_compte
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_printed_code_and_key_work(demo):
    out = demo.sortie
    assert hors_compte.CODE in out and hors_compte.CLE in out and hors_compte.reference() in out
    dossier = services_hors_compte.suivi_verifier(hors_compte.CODE, hors_compte.DATE_NAISSANCE)
    assert dossier is not None and dossier.reference == hors_compte.reference()
    user = UserFactory(email=hors_compte.EMAIL)
    services_hors_compte.dossier_rattacher(
        user=user, reference=dossier.reference, cle=hors_compte.CLE
    )
    dossier.refresh_from_db()
    assert dossier.cree_par == user
