from __future__ import annotations

import datetime
import re
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse

from planner.forms import text_version
from planner.models import Year
from planner.texts import PostText, TextForm
from tests.factory import make_year

pytestmark = pytest.mark.django_db

POST_URL = "/@owner/2025/"
# (URL name of the editor, of its autosave, their arguments, the model field, the anchor)
TEXTS = {
    "intro": ("year_text_edit", "year_text_autosave", ["owner", 2025, "intro"]),
    "summary": ("year_text_edit", "year_text_autosave", ["owner", 2025, "summary"]),
    "period": ("period_edit", "period_autosave", ["owner", 2025, 2]),
}


def in_place(**headers) -> dict:
    """Headers of an htmx request made from the post page."""
    return {"HX-Request": "true", "HX-Current-URL": "http://testserver" + POST_URL, **headers}


def edit_url(kind: str) -> str:
    name, _, args = TEXTS[kind]
    return reverse(f"planner:{name}", args=args)


def autosave_url(kind: str) -> str:
    _, name, args = TEXTS[kind]
    return reverse(f"planner:{name}", args=args)


def _dom_id(kind: str) -> str:
    return "period-2-retrospective" if kind == "period" else kind


def stored(post: Year, kind: str) -> str:
    if kind == "period":
        return post.periods.get(index=2).retrospective
    post.refresh_from_db()
    return getattr(post, kind)


def store(post: Year, kind: str, text: str) -> None:
    """Someone saves the text elsewhere (another tab, another device)."""
    if kind == "period":
        post.periods.filter(index=2).update(retrospective=text)
    else:
        Year.objects.filter(pk=post.pk).update(**{kind: text})


@pytest.fixture
def year(owner):
    year = make_year(owner, year=2025, intro="Hello.", summary="A good year.")
    year.periods.filter(index=2).update(retrospective="Summer went by fast.")
    return year


# Who may use the endpoints


@pytest.mark.parametrize("kind", TEXTS)
def test_it_answers_404_to_other_users(reader_client, year, kind):
    before = stored(year, kind)
    data = {"text": "Hijacked", "base": text_version(before)}

    assert reader_client.get(edit_url(kind)).status_code == 404
    assert reader_client.post(edit_url(kind), data).status_code == 404
    assert reader_client.post(autosave_url(kind), data, headers=in_place()).status_code == 404
    assert stored(year, kind) == before


@pytest.mark.parametrize("kind", TEXTS)
@pytest.mark.parametrize("url", [edit_url, autosave_url])
def test_it_sends_visitors_to_log_in(client, year, kind, url):
    before = stored(year, kind)

    response = client.post(url(kind), {"text": "Hijacked", "base": text_version(before)})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?{urlencode({'next': url(kind)}, safe='/')}"
    assert stored(year, kind) == before


def test_it_reloads_the_page_to_log_in_when_an_htmx_session_expired(client, year):
    response = client.post(autosave_url("intro"), {"text": "x", "base": "y"}, headers=in_place())

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/%40owner/2025/"
    assert stored(year, "intro") == "Hello."


def test_it_answers_405_to_a_get_on_autosave(owner_client, year):
    assert owner_client.get(autosave_url("period")).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        reverse("planner:year_text_edit", args=["owner", 2025, "title"]),
        reverse("planner:year_text_autosave", args=["owner", 2025, "visibility"]),
        reverse("planner:period_edit", args=["owner", 2025, 4]),
        reverse("planner:period_edit", args=["owner", 2024, 1]),
    ],
)
def test_it_answers_404_for_texts_that_do_not_exist(owner_client, year, url):
    assert owner_client.post(url, {"text": "x", "base": "y"}).status_code == 404


# The editor


@pytest.mark.parametrize("kind", TEXTS)
def test_it_swaps_the_editor_in_place(owner_client, year, kind):
    text = stored(year, kind)

    response = owner_client.get(edit_url(kind), headers=in_place())

    assert response.status_code == 200
    html = response.text
    assert "<html" not in html
    assert f'<form method="post" action="{edit_url(kind)}"' in html
    assert (
        f'data-hx-post="{autosave_url(kind)}" data-hx-trigger="input changed delay:1500ms"' in html
    )
    assert re.search(r'<label for="([\w-]+)-text">[^<]+</label>\s*<textarea id="\1-text"', html)
    assert f">{text}</textarea>" in html
    assert f'name="base" id="{_dom_id(kind)}-base" value="{text_version(text)}"' in html
    assert 'aria-live="polite"' in html
    assert f'data-hx-select="#{_dom_id(kind)}"' in html  # "Close" shows the text again


def test_it_serves_the_same_form_as_a_page_without_javascript(owner_client, year):
    response = owner_client.get(edit_url("period"))

    assert response.status_code == 200
    assert "<h1>Looking back on May–August</h1>" in response.text
    assert f'<form method="post" action="{edit_url("period")}"' in response.text
    assert ">Summer went by fast.</textarea>" in response.text
    assert f'href="{POST_URL}#period-2-retrospective"' in response.text
    assert "data-hx-select" not in response.text  # a plain link back, not a swap into this page


def test_the_owner_sees_edit_controls_and_readers_do_not(client, owner_client, year, reader):
    owner_page = owner_client.get(POST_URL).text
    for kind in TEXTS:
        assert f'data-hx-get="{edit_url(kind)}"' in owner_page
        assert f'href="{edit_url(kind)}"' in owner_page

    client.force_login(reader)
    reader_page = client.get(POST_URL).text
    assert "Summer went by fast." in reader_page
    for kind in TEXTS:
        assert edit_url(kind) not in reader_page
    assert 'name="text"' not in reader_page  # the reader's only text box is for a comment


def test_it_invites_the_owner_to_write_an_empty_text(owner_client, owner):
    make_year(owner, year=2025)

    page = owner_client.get(POST_URL).text

    assert "Write an intro" in page
    assert "Write the overall retrospective" in page
    assert page.count("Write the period&#x27;s retrospective") == 3


# Saving


@pytest.mark.parametrize("kind", TEXTS)
def test_it_saves_a_plain_form_and_returns_to_the_text_on_the_post(owner_client, year, kind):
    base = text_version(stored(year, kind))

    response = owner_client.post(edit_url(kind), {"text": "A *slow* start.", "base": base})

    assert response.status_code == 302
    assert response["Location"] == f"{POST_URL}#{_dom_id(kind)}"
    assert stored(year, kind) == "A *slow* start."
    assert "A <em>slow</em> start." in owner_client.get(POST_URL).text


def test_it_saves_in_place_and_shows_the_rendered_text(owner_client, year):
    data = {"text": "Back to **school**.", "base": text_version("Summer went by fast.")}

    response = owner_client.post(edit_url("period"), data, headers=in_place())

    assert response.status_code == 200
    assert '<section id="period-2-retrospective"' in response.text
    assert "Back to <strong>school</strong>." in response.text
    assert "<textarea" not in response.text
    assert stored(year, "period") == "Back to **school**."


def test_it_reloads_into_the_post_after_saving_from_the_editor_page(owner_client, year):
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver" + edit_url("intro")}

    response = owner_client.post(
        edit_url("intro"), {"text": "Hi!", "base": text_version("Hello.")}, headers=headers
    )

    assert response["HX-Redirect"] == f"{POST_URL}#intro"
    assert stored(year, "intro") == "Hi!"


def test_it_stores_line_breaks_one_way(owner_client, year):
    data = {"text": "One.\r\n\r\nTwo.", "base": text_version("Hello.")}

    owner_client.post(edit_url("intro"), data)

    assert stored(year, "intro") == "One.\n\nTwo."


def test_it_refuses_a_save_without_a_base_and_keeps_the_text_in_the_box(owner_client, year):
    response = owner_client.post(edit_url("summary"), {"text": "No base"})

    assert response.status_code == 422
    assert ">No base</textarea>" in response.text
    assert "This field is required." in response.text
    assert stored(year, "summary") == "A good year."


@time_machine.travel(datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC), tick=False)
def test_it_marks_the_year_as_updated(owner_client, year):
    owner_client.post(edit_url("intro"), {"text": "Hi!", "base": text_version("Hello.")})

    year.refresh_from_db()
    assert year.updated_at == datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)


# Autosave


@pytest.mark.parametrize("kind", TEXTS)
def test_autosave_answers_with_the_new_base(owner_client, year, kind):
    base = text_version(stored(year, kind))

    response = owner_client.post(
        autosave_url(kind), {"text": "Draft one", "base": base}, headers=in_place()
    )

    assert response.status_code == 200
    assert stored(year, kind) == "Draft one"
    assert "Saved" in response.text
    new_base = re.search(
        r'<input type="hidden" name="base" id="([\w-]+)" value="(\w+)"', response.text
    )
    assert new_base.groups() == (f"{_dom_id(kind)}-base", text_version("Draft one"))
    assert 'data-hx-swap-oob="true"' in response.text


def test_autosave_keeps_saving_from_the_base_it_returned(owner_client, year):
    base = text_version("Hello.")
    for draft in ("Dr", "Draft", "Draft two"):
        response = owner_client.post(
            autosave_url("intro"), {"text": draft, "base": base}, headers=in_place()
        )
        assert response.status_code == 200
        base = re.search(r'name="base" id="intro-base" value="(\w+)"', response.text).group(1)

    assert stored(year, "intro") == "Draft two"


def test_autosave_reports_a_refused_save_in_the_status_line(owner_client, year):
    response = owner_client.post(autosave_url("intro"), {"text": "x"}, headers=in_place())

    assert response.status_code == 422
    assert "Not saved" in response.text
    assert "<section" not in response.text
    assert stored(year, "intro") == "Hello."


def test_autosave_without_htmx_saves_like_the_form(owner_client, year):
    response = owner_client.post(
        autosave_url("intro"), {"text": "Plain", "base": text_version("Hello.")}
    )

    assert response.status_code == 302
    assert stored(year, "intro") == "Plain"


# No lost writes


@pytest.mark.parametrize("kind", TEXTS)
def test_it_refuses_to_overwrite_a_change_made_elsewhere(owner_client, year, kind):
    base = text_version(stored(year, kind))
    store(year, kind, "Theirs, from the other tab")

    response = owner_client.post(
        edit_url(kind), {"text": "Mine, from this tab", "base": base}, headers=in_place()
    )

    assert response.status_code == 409
    assert stored(year, kind) == "Theirs, from the other tab"
    html = response.text
    assert "Changed elsewhere since you started" in html
    assert re.search(r'class="text-theirs prose">\s*<p>Theirs, from the other tab</p>', html)
    assert ">Mine, from this tab</textarea>" in html
    assert f'name="base" value="{text_version("Theirs, from the other tab")}"' in html
    assert "Keep mine" in html
    assert "Keep theirs" in html


def test_autosave_shows_the_conflict_in_place_of_the_editor(owner_client, year):
    store(year, "period", "Theirs")

    response = owner_client.post(
        autosave_url("period"),
        {"text": "Mine", "base": text_version("Summer went by fast.")},
        headers=in_place(),
    )

    assert response.status_code == 409
    assert response["HX-Retarget"] == "#period-2-retrospective"
    assert response["HX-Reswap"] == "outerHTML"
    assert ">Mine</textarea>" in response.text
    assert stored(year, "period") == "Theirs"


def test_keep_mine_saves_over_theirs(owner_client, year):
    store(year, "summary", "Theirs")
    conflict = owner_client.post(
        edit_url("summary"),
        {"text": "Mine", "base": text_version("A good year.")},
        headers=in_place(),
    )
    current = re.search(r'name="base" value="(\w+)"', conflict.text).group(1)

    response = owner_client.post(
        edit_url("summary"), {"text": "Mine", "base": current}, headers=in_place()
    )

    assert response.status_code == 200
    assert "<p>Mine</p>" in response.text
    assert stored(year, "summary") == "Mine"


def test_it_saves_the_same_text_written_in_two_places(owner_client, year):
    store(year, "intro", "Same words")

    response = owner_client.post(
        edit_url("intro"), {"text": "Same words", "base": text_version("Hello.")}
    )

    assert response.status_code == 302
    assert stored(year, "intro") == "Same words"


def test_it_shows_the_conflict_as_a_page_without_javascript(owner_client, year):
    store(year, "intro", "Theirs")

    response = owner_client.post(
        edit_url("intro"), {"text": "Mine", "base": text_version("Hello.")}
    )

    assert response.status_code == 409
    html = response.text
    assert html.count("<h1") == 1
    assert "Changed elsewhere since you started" in html
    assert "<p>Theirs</p>" in html
    assert ">Mine</textarea>" in html
    assert f'<form class="text-version" method="post" action="{edit_url("intro")}"' in html
    assert f'<a class="button" href="{POST_URL}#intro" data-discard>Keep theirs</a>' in html
    assert stored(year, "intro") == "Theirs"


def test_the_form_sees_a_change_made_between_its_check_and_its_write(owner, year):
    text = PostText(year.periods.get(index=2), "retrospective")
    form = TextForm({"text": "Mine", "base": text.version}, text=text)
    assert form.is_valid()
    store(year, "period", "Theirs, saved an instant earlier")

    assert form.save() is False

    assert form.conflict == "Theirs, saved an instant earlier"
    assert stored(year, "period") == "Theirs, saved an instant earlier"


@pytest.mark.parametrize("kind", TEXTS)
def test_it_refuses_a_text_longer_than_an_entrys_body(owner_client, year, kind):
    before = stored(year, kind)
    data = {"text": "x" * 50_001, "base": text_version(before)}
    response = owner_client.post(edit_url(kind), data)
    assert response.status_code == 422
    assert "at most 50000 characters" in response.text
    assert stored(year, kind) == before
    data["text"] = "x" * 50_000
    assert owner_client.post(edit_url(kind), data).status_code == 302
