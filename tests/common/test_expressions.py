"""common.expressions.ParmiLesValeurs: the same rows as `__in`, a plan that reads the
indexes inside an OR (issue 7's benchmark)."""

import pytest
from django.db import connection
from django.db.models import Q

from accounts.models import Connexion, User
from common.expressions import ParmiLesValeurs
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comptes():
    """Four accounts; the first two signed in from Firefox, the third from elsewhere."""
    users = [UserFactory(email=f"compte{i}@exemple.fr") for i in range(4)]
    for user, navigateur in zip(users, ["Firefox", "Firefox", "Chromium"], strict=False):
        Connexion.objects.create(user=user, navigateur=navigateur)
    return users


def _firefox():
    return Connexion.objects.filter(navigateur="Firefox").values("user_id")


def test_the_same_rows_as_in(comptes):
    attendus = set(User.objects.filter(pk__in=_firefox()))
    assert set(User.objects.filter(ParmiLesValeurs("pk", _firefox()))) == attendus
    assert attendus == set(comptes[:2])


def test_inside_an_or_and_with_other_conditions(comptes):
    qs = User.objects.filter(
        Q(email="compte3@exemple.fr") | ParmiLesValeurs("pk", _firefox()), is_active=True
    )
    assert set(qs) == {comptes[0], comptes[1], comptes[3]}
    assert set(User.objects.filter(Q(ParmiLesValeurs("pk", _firefox())) & Q(pk=comptes[1].pk))) == {
        comptes[1]
    }


def test_an_empty_subquery_matches_nothing(comptes):
    vide = Connexion.objects.filter(navigateur="Lynx").values("user_id")
    assert not User.objects.filter(ParmiLesValeurs("pk", vide)).exists()


def test_a_queryset_without_columns_gives_its_primary_keys(comptes):
    actifs = User.objects.filter(email__startswith="compte1")
    assert list(Connexion.objects.filter(ParmiLesValeurs("user", actifs))) == [
        comptes[1].connexions.get()
    ]


def test_the_subquery_is_an_array_without_ordering(comptes):
    # Connexion is ordered by "-le" by default: useless in an array, so left out.
    sql = str(User.objects.order_by().filter(ParmiLesValeurs("pk", _firefox())).query)
    assert '"accounts_user"."id" = ANY(ARRAY(SELECT' in sql
    assert "ORDER BY" not in sql.split("ANY(ARRAY(", 1)[1]


def test_inside_an_or_the_plan_reads_indexes_not_a_subplan_per_row(comptes):
    """The reason it exists: `IN (subquery)` in an OR stays a SubPlan tested on every
    row of the table; the array is computed once (an InitPlan) and each branch of the
    OR reads its index. Sequential scans are priced out, as on a table of a million."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    avec_in = User.objects.filter(Q(email="compte3@exemple.fr") | Q(pk__in=_firefox()))
    assert "SubPlan" in avec_in.explain()
    plan = User.objects.filter(
        Q(email="compte3@exemple.fr") | ParmiLesValeurs("pk", _firefox())
    ).explain()
    assert "SubPlan" not in plan
    assert "InitPlan" in plan
    assert "BitmapOr" in plan
