import pytest
from django.db import connection
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_postgresql_with_a_statement_timeout():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


@pytest.mark.django_db
def test_runaway_query_is_stopped():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '100ms'")
        with pytest.raises(OperationalError, match="statement timeout"):
            cursor.execute("SELECT pg_sleep(2)")
