"""Demo guide tests (issue 8, I9): each demo guide has its test cases, and they pass."""

import pytest

from instruction.models import CasTest, VersionGuide

pytestmark = pytest.mark.django_db


def test_every_demo_guide_has_passing_test_cases(demo):
    versions = VersionGuide.objects.count()
    assert CasTest.objects.count() == 2 * versions
    echecs = {c.nom: c.rapport for c in CasTest.objects.exclude(reussi=True)}
    assert not echecs, echecs
    refus = CasTest.objects.get(
        nom="Demande incomplète puis refusée", version=VersionGuide.objects.first()
    )
    assert [p["refuse"] for p in refus.rapport["passages"]] == [
        False,
        False,
        False,
        False,
        False,
        True,
        False,
        False,
    ]
    assert CasTest.objects.count() == 2 * versions
