"""Query budgets for pages: a fixed ceiling, and no growth when the data grows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), response


def assert_page_budget(client, url: str, *, budget: int, grow=None, status: int = 200):
    """GET `url` within `budget` queries; if `grow` is given, call it (it adds data) and
    check the page costs exactly as many queries again: the budget holds at any size."""
    before, response = count_queries(client, url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    assert before <= budget, f"{url}: {before} queries, budget {budget}"
    if grow is not None:
        grow()
        after, response = count_queries(client, url)
        assert response.status_code == status
        assert after == before, f"{url}: {before} queries, then {after} with more data"
    return response
