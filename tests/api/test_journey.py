"""A script logs a run after each outing until the goal ticks itself, then writes an entry
with a photo; the post shows both."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from tests.factory import image_upload

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC))
def test_progress_ticks_the_goal_and_the_entry_shows_its_photo_on_the_post(owner_api, client):
    assert owner_api.post("/years", {"year": 2025, "visibility": "public"}).status_code == 201
    goal = owner_api.post(
        "/years/2025/goals", {"title": "Run 100 km", "target": "100", "unit": "km"}
    ).json()
    runs = ["21.1", "30", "25.5", "23.4"]
    for day, km in enumerate(runs, start=1):
        step = owner_api.post(
            f"/goals/{goal['id']}/progress",
            {"value": km, "recorded_on": f"2025-05-{day:02}", "remark": "morning run"},
            headers={"Idempotency-Key": f"run-2025-05-{day:02}-from-watch"},
        )
        assert step.status_code == 201
        after = owner_api.get(f"/goals/{goal['id']}").json()
        assert after["done"] is (day == len(runs))  # reached with the last run, not before
    assert after["progress"] == "100.00"
    assert after["ticked_by_hand"] is False

    entry = owner_api.post(
        "/years/2025/periods/2/entries",
        {"title": "The hundredth kilometre", "body": "Finished **on the river path**."},
    ).json()
    photo = owner_api.call(
        "POST",
        f"/entries/{entry['id']}/photos",
        {"image": image_upload("finish.jpg", size=(1600, 1200)), "caption": "At the bridge"},
        content_type=None,
    )
    assert photo.status_code == 201
    assert (photo.json()["width"], photo.json()["height"]) == (1600, 1200)

    client.logout()
    page = client.get("/@owner/2025/")
    html = page.content.decode()
    assert page.status_code == 200
    row = f'<li id="goal-{goal["id"]}" class="goal goal-done"'
    assert row in html  # the visitor sees it reached
    goal_html = html[html.index(row) :][:2000]
    assert "Run 100 km" in goal_html and 'aria-label="reached"' in goal_html
    assert "The hundredth kilometre" in html
    assert "<strong>on the river path</strong>" in html
    assert "At the bridge" in html
    assert f"/photos/{photo.json()['id']}/" in html
    picture = client.get(photo.json()["url"])
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/jpeg"
