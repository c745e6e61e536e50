"""The things every API route acts on, and a call of each route that its owner may make."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from planner.forms import text_version
from planner.models import GoalUpdate, Visibility
from tests.factory import image_upload, make_comment, make_entry, make_goal, make_photo, make_year


def build(owner) -> dict:
    """A private year 2024 with a goal, its progress, an entry and a photo; a public year 2025
    with a comment by its owner."""
    private = make_year(owner, year=2024, visibility=Visibility.PRIVATE, intro="Hello")
    goal = make_goal(private, title="Read 12 books", target=12, unit="books")
    update = GoalUpdate.objects.create(goal=goal, value=3, recorded_on=datetime.date(2024, 3, 1))
    entry = make_entry(private, title="A quiet spring", body="Reading by the window.")
    photo = make_photo(entry)
    public = make_year(owner, year=2025, visibility=Visibility.PUBLIC, intro="Hi readers")
    comment = make_comment(public, owner)
    return {
        "owner": owner,
        "goal": goal.pk,
        "update": update.pk,
        "entry": entry.pk,
        "photo": photo.pk,
        "comment": comment.pk,
    }


@dataclass(frozen=True)
class Route:
    """One route as its owner calls it: `kind` says who else may.

    own         — the token's owner's own things: others get 404, nobody 401
    any         — anyone with a token or session, on their own things (list, create a year)
    open        — what a visitor reads: everyone, nobody too
    comment     — a signed-in reader of a shared post; nobody 401
    """

    kind: str
    path: str
    body: object = None
    status: int = 200
    multipart: bool = False

    def url(self, world: dict) -> str:
        return self.path.format(**world)

    def data(self):
        if self.multipart:
            return {"image": image_upload(), "caption": "By the window"}
        return self.body


ROUTES = {
    ("GET", "/api/v1/years"): Route("any", "/years"),
    ("POST", "/api/v1/years"): Route("any", "/years", {"year": 2030}, 201),
    ("GET", "/api/v1/years/{year}"): Route("own", "/years/2024"),
    ("PATCH", "/api/v1/years/{year}"): Route("own", "/years/2024", {"title": "Quiet"}),
    ("PUT", "/api/v1/years/{year}/texts/{name}"): Route(
        "own", "/years/2024/texts/period-2", {"text": "Slow months.", "version": text_version("")}
    ),
    ("GET", "/api/v1/years/{year}/goals"): Route("own", "/years/2024/goals"),
    ("POST", "/api/v1/years/{year}/goals"): Route(
        "own", "/years/2024/goals", {"title": "Swim"}, 201
    ),
    ("PUT", "/api/v1/years/{year}/goals/order"): Route("own", "/years/2024/goals/order", "order"),
    ("GET", "/api/v1/goals/{goal_id}"): Route("own", "/goals/{goal}"),
    ("PATCH", "/api/v1/goals/{goal_id}"): Route("own", "/goals/{goal}", {"target": "10"}),
    ("DELETE", "/api/v1/goals/{goal_id}"): Route("own", "/goals/{goal}", status=204),
    ("POST", "/api/v1/goals/{goal_id}/tick"): Route("own", "/goals/{goal}/tick", {"done": True}),
    ("POST", "/api/v1/goals/{goal_id}/follow-figures"): Route(
        "own", "/goals/{goal}/follow-figures", {}
    ),
    ("POST", "/api/v1/goals/{goal_id}/progress"): Route(
        "own", "/goals/{goal}/progress", {"value": "2", "recorded_on": "2024-04-01"}, 201
    ),
    ("PATCH", "/api/v1/progress/{update_id}"): Route("own", "/progress/{update}", {"value": "4"}),
    ("DELETE", "/api/v1/progress/{update_id}"): Route("own", "/progress/{update}", status=204),
    ("GET", "/api/v1/years/{year}/periods/{index}/entries"): Route(
        "own", "/years/2024/periods/1/entries"
    ),
    ("POST", "/api/v1/years/{year}/periods/{index}/entries"): Route(
        "own", "/years/2024/periods/2/entries", {"title": "Summer", "body": "*Hot*"}, 201
    ),
    ("GET", "/api/v1/entries/{entry_id}"): Route("own", "/entries/{entry}"),
    ("PATCH", "/api/v1/entries/{entry_id}"): Route("own", "/entries/{entry}", {"period": 3}),
    ("DELETE", "/api/v1/entries/{entry_id}"): Route("own", "/entries/{entry}", status=204),
    ("POST", "/api/v1/entries/{entry_id}/photos"): Route(
        "own", "/entries/{entry}/photos", status=201, multipart=True
    ),
    ("PATCH", "/api/v1/photos/{photo_id}"): Route(
        "own", "/photos/{photo}", {"caption": "Window light"}
    ),
    ("DELETE", "/api/v1/photos/{photo_id}"): Route("own", "/photos/{photo}", status=204),
    ("GET", "/api/v1/users/{username}/years/{year}/comments"): Route(
        "open", "/users/owner/years/2025/comments"
    ),
    ("POST", "/api/v1/users/{username}/years/{year}/comments"): Route(
        "comment", "/users/owner/years/2025/comments", {"body": "Well done!"}, 201
    ),
    ("DELETE", "/api/v1/comments/{comment_id}"): Route("own", "/comments/{comment}", status=204),
    ("GET", "/api/v1/users/{username}/years"): Route("open", "/users/owner/years"),
    ("GET", "/api/v1/users/{username}/years/{year}"): Route("open", "/users/owner/years/2025"),
}

# What each kind of route answers each kind of requester, the owner's own call aside.
EXPECTED = {
    "own": {"other": 404, "visitor": 401, "revoked": 401, "expired": 401},
    "any": {"visitor": 401, "revoked": 401, "expired": 401},
    "open": {"other": 200, "visitor": 200, "revoked": 401, "expired": 401},
    "comment": {"other": 201, "visitor": 401, "revoked": 401, "expired": 401},
}
