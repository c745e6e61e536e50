"""Others' years through the API: exactly what a visitor sees, whoever asks."""

from __future__ import annotations

import pytest

from planner.models import Comment, Visibility
from tests.factory import make_comment, make_entry, make_goal, make_photo, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(owner):
    post = make_year(owner, year=2025, visibility=Visibility.PUBLIC, intro="Hello")
    make_goal(post, title="Run a marathon")
    make_goal(post, title="See the doctor about it", is_private=True)
    make_photo(make_entry(post, title="Race day"))
    make_entry(post, title="Diagnosis", is_private=True)
    make_year(owner, year=2024, visibility=Visibility.UNLISTED)
    make_year(owner, year=2023, visibility=Visibility.PRIVATE)
    return post


@pytest.mark.parametrize("who", ["visitor_api", "reader_api", "owner_api"])
def test_it_lists_public_years_only(who, request, shared):
    api = request.getfixturevalue(who)
    response = api.get("/users/owner/years")
    assert response.status_code == 200
    assert [item["year"] for item in response.json()] == [2025]


@pytest.mark.parametrize("who", ["visitor_api", "reader_api", "owner_api"])
def test_it_leaves_private_goals_and_entries_out(who, request, shared):
    response = request.getfixturevalue(who).get("/users/owner/years/2025")
    assert response.status_code == 200
    post = response.json()
    assert [goal["title"] for goal in post["goals"]] == ["Run a marathon"]
    entries = [entry for period in post["periods"] for entry in period["entries"]]
    assert [entry["title"] for entry in entries] == ["Race day"]
    assert len(entries[0]["photos"]) == 1
    assert "Diagnosis" not in response.content.decode()
    assert "doctor" not in response.content.decode()


def test_an_unlisted_year_is_read_by_its_address(visitor_api, shared):
    assert visitor_api.get("/users/owner/years/2024").status_code == 200


@pytest.mark.parametrize("who", ["visitor_api", "reader_api", "owner_api"])
def test_a_private_year_does_not_exist_for_anyone_here(who, request, shared):
    response = request.getfixturevalue(who).get("/users/owner/years/2023")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_others_private_things_do_not_exist_for_a_token(reader_api, owner, shared):
    private_goal = shared.goals.get(is_private=True)
    assert reader_api.get(f"/goals/{private_goal.pk}").status_code == 404
    assert reader_api.get("/years/2025").status_code == 404  # their own 2025: none


def test_a_reader_reads_and_writes_comments(reader_api, reader, shared):
    make_comment(shared, reader, body="First!")
    page = reader_api.get("/users/owner/years/2025/comments").json()
    assert page["count"] == 1
    assert page["threads"][0]["body"] == "First!"
    parent = page["threads"][0]["id"]
    reply = reader_api.post(
        "/users/owner/years/2025/comments", {"body": "Me again", "parent": parent}
    )
    assert reply.status_code == 201
    assert reply.json()["parent"] == parent
    threads = reader_api.get("/users/owner/years/2025/comments").json()["threads"]
    assert [r["body"] for r in threads[0]["replies"]] == ["Me again"]


def test_comments_follow_the_pages_rules(reader_api, shared, settings):
    empty = reader_api.post("/users/owner/years/2025/comments", {"body": ""})
    assert empty.status_code == 422
    assert empty.json()["error"]["fields"]["body"]
    settings.COMMENT_RATE_LIMITS = "1/minute"
    assert reader_api.post("/users/owner/years/2025/comments", {"body": "One"}).status_code == 201
    fast = reader_api.post("/users/owner/years/2025/comments", {"body": "Two"})
    assert fast.status_code == 429
    assert fast.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(fast.headers["Retry-After"]) <= 60
    assert Comment.objects.count() == 1
    private = reader_api.post("/users/owner/years/2023/comments", {"body": "Hi"})
    assert private.status_code == 404


def test_a_person_deletes_their_own_comment_not_anothers(reader_api, stranger, reader, shared):
    mine = make_comment(shared, reader)
    theirs = make_comment(shared, stranger)
    assert reader_api.delete(f"/comments/{theirs.pk}").status_code == 404
    assert reader_api.delete(f"/comments/{mine.pk}").status_code == 204
    mine.refresh_from_db()
    assert mine.is_removed
    page = reader_api.get("/users/owner/years/2025/comments").json()
    assert [thread["removed"] for thread in page["threads"]] == [False]
