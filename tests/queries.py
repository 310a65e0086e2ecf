"""Query budgets for pages: a fixed ceiling, and no growth when the data grows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

# « Mon compte » (P9), whatever the data: the user, the individu, memberships, the
# dossiers in progress, justificatifs to provide, co-editing invitations and transfers
# received, unread messages, profile invitations, logins, open sessions, two-factor, the
# drafts, the documents deposited in the citizen's space, the dossiers' statuts in the
# instruction guide, the correction requests waiting (I10). One query per block: a module adding a block to the page raises
# this figure, never a loop.
BUDGET_MON_COMPTE = 16


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
