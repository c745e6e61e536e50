"""The API's lists cost the same few queries however much a year holds: each is asked for
at two sizes, and must cost the same at both and stay within its budget."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planner.models import GoalUpdate, Visibility
from tests.api.conftest import Api, issue
from tests.factory import make_comment, make_entry, make_goal, make_photo, make_user, make_year

pytestmark = pytest.mark.django_db

# The token's row is the first query of each.
BUDGETS = {
    "/years": 2,
    "/years/2025": 3,
    "/years/2025/goals": 4,
    "/years/2025/periods/1/entries": 4,
    "/users/{name}/years": 3,
    "/users/{name}/years/2025": 7,
    "/users/{name}/years/2025/comments": 5,
}


def writer(name: str, size: int):
    person = make_user(name)
    reader = make_user(f"{name}-reader")
    post = make_year(person, year=2025, visibility=Visibility.PUBLIC)
    for year in range(2010, 2010 + size):
        make_year(person, year=year)
    for number in range(size):
        goal = make_goal(post, title=f"Goal {number}", target=10)
        for day in range(1, 4):
            GoalUpdate.objects.create(goal=goal, value=1, recorded_on=datetime.date(2025, 1, day))
        entry = make_entry(post, title=f"Entry {number}")
        make_photo(entry)
        make_photo(entry)
        thread = make_comment(post, reader, body=f"Comment {number}")
        make_comment(post, person, parent=thread, body="Thanks")
    return person


@pytest.mark.parametrize("path", list(BUDGETS))
def test_a_list_costs_the_same_at_two_sizes(path, client):
    counts = []
    for name, size in (("small", 2), ("large", 8)):
        api = Api(client, issue(writer(name, size)))
        api.get("/years")  # the token's first use writes its "last used"; not counted
        with CaptureQueriesContext(connection) as queries:
            response = api.get(path.format(name=name))
        assert response.status_code == 200, response.content
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= BUDGETS[path], counts
