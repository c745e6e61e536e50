from __future__ import annotations

import datetime
import io
import json
import stat
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from planner.models import Comment, Entry, Goal, GoalUpdate, Like, Photo, Visibility, Year
from portability.archive import SCHEMA_VERSION, ArchiveError, import_archive
from tests.factory import (
    image_bytes,
    image_upload,
    make_comment,
    make_entry,
    make_goal,
    make_photo,
    make_user,
    make_year,
)
from tests.hostile_files import HOSTILE, HOSTILE_IDS, padded_png
from tests.portability.archive_helpers import (
    document_of,
    export_bytes,
    rewritten,
    stored_files,
    upload,
    with_avatar,
    with_document,
    zip_of,
)

EXPORT_URL = reverse("portability:archive_export")
IMPORT_URL = reverse("portability:archive_import")


@pytest.fixture
def history(owner, reader):
    """Two years of the owner's, with everything an archive carries."""
    year = make_year(owner, year=2025, title="올해 결산", intro="Hello", summary="Done.")
    goal = make_goal(year, title="체중 78 kg", target=Decimal(78), unit="kg", done=True)
    GoalUpdate.objects.create(goal=goal, recorded_on=datetime.date(2025, 3, 1), value=81)
    make_goal(year, title="Secret", is_private=True, note="only me")
    year.periods.filter(index=1).update(retrospective="Spring was long.")
    entry = make_entry(year, 1, title="바다", body="We went to the sea.")
    make_photo(entry, caption="Me, at the top")
    make_entry(year, 2, title="Diary", is_private=True)
    question = make_comment(year, reader, body="How was the sea?")
    make_comment(year, owner, body="Cold!", parent=question)
    Like.objects.create(year=year, user=reader)
    following = make_year(owner, year=2026, visibility=Visibility.PRIVATE)
    make_goal(following, title="체중 75 kg", carried_from=goal, attempt=2)
    return year


def import_view(client, data: bytes):
    return client.post(IMPORT_URL, {"archive": upload(data)})


def counts() -> dict[str, int]:
    return {
        "years": Year.objects.count(),
        "goals": Goal.all_objects.count(),
        "updates": GoalUpdate.objects.count(),
        "entries": Entry.all_objects.count(),
        "photos": Photo.objects.count(),
        "comments": Comment.objects.count(),
    }


def test_it_streams_everything_to_the_owner(owner_client, owner, history):
    response = owner_client.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(data))
    photo = Photo.objects.get()
    assert set(archive.namelist()) == {
        "yearloop.json",
        "years/2025.md",
        "years/2026.md",
        f"photos/{photo.key}.jpg",
        "avatar.jpg",
    } - ({"avatar.jpg"} if not owner.avatar else set())
    document = json.loads(archive.read("yearloop.json"))
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["user"]["display_name"] == "Olivia Owner"
    year = document["years"][0]
    assert year["id"] == str(history.key)
    assert year["likes"] == 1
    assert [goal["title"] for goal in year["goals"]] == ["체중 78 kg", "Secret"]
    assert year["goals"][0]["updates"][0]["value"] == "81.00"
    assert year["periods"][0]["entries"][0]["photos"][0]["file"] == f"photos/{photo.key}.jpg"
    assert [c["author"]["username"] for c in year["comments"]] == ["reader", "owner"]
    assert year["comments"][1]["parent"] == year["comments"][0]["id"]
    markdown = archive.read("years/2025.md").decode()
    assert f"![Me, at the top](../photos/{photo.key}.jpg)" in markdown  # from years/
    # The archive is the owner's whole record: private items are in it, marked.
    assert "- [ ] Secret *(private)* — only me" in markdown
    assert "### Diary *(private)*" in markdown
    carried = document["years"][1]["goals"][0]
    assert carried["carried_from"] == year["goals"][0]["id"]


def test_it_keeps_the_stored_original_in_the_archive(owner):
    owner.keep_original_photos = True
    owner.save()
    entry = make_entry(make_year(owner))
    photo = make_photo(entry, upload=image_upload("big.png", "PNG"), keep_original=True)

    data = export_bytes(owner)

    member = f"photos/{photo.key}.png"
    assert zipfile.ZipFile(io.BytesIO(data)).read(member) == photo.original.open().read()
    assert document_of(data)["years"][0]["periods"][0]["entries"][0]["photos"][0]["original"]


def test_it_restores_a_deleted_account_from_its_archive(owner, reader, history):
    data = export_bytes(owner)
    owner.delete()
    fresh = User(username="owner")

    import_archive(fresh, io.BytesIO(data))

    fresh.refresh_from_db()
    year = Year.objects.get(owner=fresh, year=2025)
    assert year.title == "올해 결산"
    assert year.periods.get(index=1).retrospective == "Spring was long."
    goal = year.goals.get(title="체중 78 kg")
    assert goal.done and goal.target == 78 and goal.updates.get().value == 81
    assert Goal.objects.get(title="체중 75 kg").carried_from == goal
    photo = Photo.objects.get()
    assert photo.caption == "Me, at the top"
    assert {rendition["width"] for rendition in photo.renditions} == {64}
    assert Like.objects.summary(year, reader) == (1, False)
    assert export_bytes(fresh) != data  # the export date differs, and nothing else:
    first, second = document_of(data), document_of(export_bytes(fresh))
    first.pop("exported_at"), second.pop("exported_at")
    assert first == second


def test_it_keeps_readers_comments_under_their_names_without_their_accounts(
    client, owner, reader, history
):
    data = export_bytes(owner)
    owner.delete()
    fresh = make_user("newowner")

    import_archive(fresh, io.BytesIO(data))

    question, answer = Comment.objects.order_by("created_at")
    # The reader has an account here, but the archive cannot speak for it.
    assert question.author is None
    assert question.author_name == "Rae Reader"
    assert answer.author == fresh  # the archive's own writer is the importing account
    # A visitor, who has no id either, gets no edit controls for it.
    page = client.get(reverse("planner:year_detail", args=["newowner", 2025])).content.decode()
    assert "How was the sea?" in page
    assert '<span class="comment-author">Rae Reader</span>' in page
    assert 'href="/@reader/"' not in page
    assert f'action="{reverse("planner:comment_edit", args=[question.pk])}"' not in page


def test_it_imports_an_archive_from_the_settings_page(client, owner, reader, history):
    data = export_bytes(owner)
    client.force_login(reader)

    response = import_view(client, data)

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile_edit")
    page = client.get(response.url).content.decode()
    assert "The archive is imported" in page
    assert Year.objects.filter(owner=reader, year=2025, title="올해 결산").exists()


def test_it_does_not_duplicate_on_a_second_import(owner_client, owner, history):
    data = export_bytes(owner)
    before, files = counts(), stored_files()

    assert import_view(owner_client, data).status_code == 302
    assert import_view(owner_client, data).status_code == 302

    assert counts() == before
    assert stored_files() == files


def test_it_restores_changes_made_since_the_export(owner_client, owner, history):
    data = export_bytes(owner)
    goal = history.goals.get(title="체중 78 kg")
    goal.title = "Changed"
    goal.save()
    goal.soft_delete()

    import_view(owner_client, data)

    goal.refresh_from_db()
    assert goal.title == "체중 78 kg"
    assert counts()["goals"] == 3


def test_it_gives_another_account_on_the_same_site_its_own_copy(client, owner, reader, history):
    data = export_bytes(owner)
    before = counts()
    client.force_login(reader)

    import_view(client, data)
    import_view(client, data)

    assert counts()["goals"] == before["goals"] * 2
    assert counts()["photos"] == before["photos"] * 2
    mine = Goal.objects.get(year__owner=reader, title="체중 78 kg")
    theirs = Goal.objects.get(year__owner=owner, title="체중 78 kg")
    assert mine.key != theirs.key
    assert Goal.objects.get(year__owner=reader, title="체중 75 kg").carried_from == mine
    assert history.goals.count() == 2  # the owner's own are untouched


def test_it_refuses_a_newer_schema_version(owner_client, owner, history):
    data = with_document(export_bytes(owner), lambda d: d.update(schema_version=99))

    response = import_view(owner_client, data)

    assert response.status_code == 422
    assert "newer version of Yearloop" in response.content.decode()


def photo_of(data: bytes) -> str:
    year = document_of(data)["years"][0]
    return year["periods"][0]["entries"][0]["photos"][0]["file"]


def set_first_goal(field, value):
    def change(document):
        document["years"][0]["goals"][0][field] = value

    return change


def symlink_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo("photos/link.jpg")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    return out.getvalue()


def many_members_zip() -> bytes:
    return zip_of({f"photos/{n}.jpg": b"" for n in range(20_001)})


BAD_ARCHIVES = {
    "not a zip": (lambda data: b"this is not a zip", "not a .zip archive"),
    "truncated": (lambda data: data[: len(data) // 2], "not a .zip archive"),
    "path traversal": (
        lambda data: zip_of({"yearloop.json": b"{}", "../x": b"x"}),
        "points outside the archive",
    ),
    "absolute path": (
        lambda data: zip_of({"yearloop.json": b"{}", "/etc/x": b"x"}),
        "points outside the archive",
    ),
    "symlink": (lambda data: symlink_zip(), "links are not accepted"),
    "too many members": (lambda data: many_members_zip(), "at most 20000"),
    "zip bomb by ratio": (
        lambda data: rewritten(data, {photo_of(data): padded_png()}),
        "Photo 1 of entry “바다” (2025, January–April) unpacks to 1004 times its packed size",
    ),
    "no json": (lambda data: rewritten(data, drop={"yearloop.json"}), "has no yearloop.json"),
    "broken json": (
        lambda data: rewritten(data, {"yearloop.json": b'{"schema_version": 1,'}),
        "not valid JSON",
    ),
    "json of the wrong shape": (
        lambda data: rewritten(data, {"yearloop.json": b"[1, 2]"}),
        "not a Yearloop document",
    ),
    "json without a version": (
        lambda data: rewritten(data, {"yearloop.json": b'{"years": []}'}),
        "no valid schema_version",
    ),
    "a year out of range": (
        lambda data: with_document(data, lambda d: d["years"][0].update(year=2500)),
        "years[0]: the year must be between 1900 and 2200.",
    ),
    "a blank goal title": (
        lambda data: with_document(data, set_first_goal("title", "")),
        "years[0].goals[0].title: This field cannot be blank.",
    ),
    "a bad date": (
        lambda data: with_document(data, set_first_goal("deadline", "someday")),
        "years[0].goals[0].deadline",
    ),
    "a negative target": (
        lambda data: with_document(data, set_first_goal("target", "-5")),
        "years[0].goals[0]: a goal&#x27;s target must be above zero",
    ),
    "a duplicate id": (
        lambda data: with_document(data, set_first_goal("id", document_of(data)["years"][0]["id"])),
        "appears twice",
    ),
    "a missing photo file": (
        lambda data: rewritten(data, drop={photo_of(data)}),
        "names no file of the archive",
    ),
    "a photo that is not an image": (
        lambda data: rewritten(data, {photo_of(data): b"<html>not a photo</html>"}),
        "is not a JPEG, PNG, WebP, GIF or HEIC photo",
    ),
    "a photo over the size limit": (
        lambda data: rewritten(data, {photo_of(data): b"\xff\xd8\xff" + b"\0" * 21_000_000}),
        "Photo 1 of entry “바다” (2025, January–April) is 20.0\xa0MB in the archive; "
        "the limit is 20.0\xa0MB.",
    ),
}


@pytest.mark.parametrize("case", BAD_ARCHIVES)
def test_it_refuses_a_bad_archive_and_keeps_nothing_of_it(client, owner, reader, history, case):
    make_bad, message = BAD_ARCHIVES[case]
    data = make_bad(export_bytes(owner))
    client.force_login(reader)
    before, files = counts(), stored_files()

    response = import_view(client, data)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert counts() == before
    assert stored_files() == files


@pytest.mark.parametrize("hostile", HOSTILE, ids=HOSTILE_IDS)
def test_it_refuses_a_hostile_photo_naming_its_entry_and_keeps_nothing(
    client, owner, reader, history, hostile
):
    data = export_bytes(owner)
    data = rewritten(data, {photo_of(data): hostile.data})
    client.force_login(reader)
    before, files = counts(), stored_files()

    response = import_view(client, data)

    assert response.status_code == 422
    text = response.content.decode()
    assert f"Photo 1 of entry “바다” (2025, January–April) {hostile.reason}" in text
    assert "photos/" not in text
    assert "unpacks to" not in text
    assert counts() == before
    assert stored_files() == files


@pytest.mark.parametrize("hostile", HOSTILE, ids=HOSTILE_IDS)
def test_it_refuses_a_hostile_profile_photo_and_keeps_nothing(
    client, owner, reader, history, hostile
):
    data = with_avatar(export_bytes(owner), hostile.data)
    client.force_login(reader)
    before, files = counts(), stored_files()

    response = import_view(client, data)

    assert response.status_code == 422
    assert f"The profile photo {hostile.reason}" in response.content.decode()
    assert counts() == before
    assert stored_files() == files
    reader.refresh_from_db()
    assert not reader.avatar
    assert reader.display_name == "Rae Reader"


def test_it_takes_a_good_profile_photo_from_an_archive(client, owner, reader, history):
    data = with_avatar(export_bytes(owner), image_bytes(size=(600, 400)))
    client.force_login(reader)

    response = import_view(client, data)

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.avatar.width == reader.avatar.height == 256


def test_it_refuses_an_archive_that_unpacks_beyond_the_limit(
    client, settings, owner, reader, history
):
    # 300 kB of text packs into a few kB: small to send, too large once unpacked.
    data = zip_of({"yearloop.json": b"{}", "years/2025.md": b"# A long year\n" * 20_000})
    settings.ARCHIVE_MAX_BYTES = 100_000
    client.force_login(reader)

    response = import_view(client, data)

    assert response.status_code == 422
    assert "unpacks to more than it can hold" in response.content.decode()


def test_it_removes_the_photos_of_an_import_that_failed_late(client, owner, reader, history):
    """The first photo is stored, the second is bad: both are gone afterwards."""
    entry = history.periods.get(index=1).entries.get()
    make_photo(entry, caption="second")
    data = export_bytes(owner)
    photos = document_of(data)["years"][0]["periods"][0]["entries"][0]["photos"]
    data = rewritten(data, {photos[1]["file"]: b"GIF89a broken"})
    client.force_login(reader)
    files = stored_files()

    response = import_view(client, data)

    assert response.status_code == 422
    assert "damaged" in response.content.decode()
    assert stored_files() == files
    assert not Photo.objects.filter(entry__period__year__owner=reader).exists()


def test_it_offers_download_and_import_on_the_settings_page(owner_client):
    page = owner_client.get(reverse("accounts:profile_edit")).content.decode()

    assert f'href="{EXPORT_URL}"' in page
    assert f'action="{IMPORT_URL}"' in page


def test_it_sends_the_export_only_to_the_person_it_belongs_to(client, owner, reader, history):
    client.force_login(reader)

    data = b"".join(client.get(EXPORT_URL).streaming_content)

    assert document_of(data)["user"]["username"] == "reader"
    assert document_of(data)["years"] == []


def test_it_takes_likes_over_as_a_count(owner, reader, history):
    data = with_document(export_bytes(owner), lambda d: d["years"][0].update(likes=7))

    import_archive(owner, io.BytesIO(data))

    history.refresh_from_db()
    assert history.imported_likes == 6  # the reader's like is still a real one
    assert Like.objects.summary(history, reader) == (7, True)


def test_it_keeps_dates_of_what_it_restores(owner, history):
    written = timezone.now() - datetime.timedelta(days=400)
    Comment.objects.update(created_at=written)
    data = export_bytes(owner)
    owner.delete()

    import_archive(User(username="owner"), io.BytesIO(data))

    assert {c.created_at.date() for c in Comment.objects.all()} == {written.date()}


def test_it_stores_nothing_in_a_dry_run(owner, history):
    data = export_bytes(owner)
    owner.delete()
    files = stored_files()

    report = import_archive(User(username="owner"), io.BytesIO(data), dry_run=True)

    assert report.created["years"] == 2
    assert not User.objects.filter(username="owner").exists()
    assert stored_files() == files


def test_it_runs_photos_through_the_pipeline(owner, reader):
    entry = make_entry(make_year(owner))
    photo = make_photo(entry)
    data = export_bytes(owner)
    huge = image_bytes("PNG", (9000, 9000))
    data = rewritten(data, {f"photos/{photo.key}.jpg": huge})

    with pytest.raises(ArchiveError, match="megapixels"):
        import_archive(reader, io.BytesIO(data))


def test_it_reads_the_same_number_of_queries_however_full_a_year_is(
    owner, reader, django_assert_num_queries
):
    year = make_year(owner, year=2025)
    make_goal(year)
    make_photo(make_entry(year))
    make_comment(year, reader)
    with CaptureQueriesContext(connection) as small:
        export_bytes(owner)
    for index in range(5):
        make_goal(year, title=f"Goal {index}")
        make_photo(make_entry(year, 2, title=f"Entry {index}"))
        make_comment(year, reader)

    with django_assert_num_queries(len(small)):
        export_bytes(owner)


def test_it_writes_a_time_the_same_before_and_after_a_round_trip(owner, reader):
    year = make_year(owner)
    moment = datetime.datetime(2025, 3, 1, 10, 0, 12, 123, tzinfo=datetime.UTC)
    make_comment(year, reader)
    Comment.objects.update(created_at=moment)
    first = document_of(export_bytes(owner))
    owner.delete()

    import_archive(User(username="owner"), io.BytesIO(export_bytes_of(first)))

    second = document_of(export_bytes(User.objects.get(username="owner")))
    assert first["years"][0]["comments"][0]["created_at"] == "2025-03-01T10:00:12Z"
    assert second["years"][0]["comments"][0]["created_at"] == "2025-03-01T10:00:12Z"


def export_bytes_of(document: dict) -> bytes:
    return zip_of({"yearloop.json": json.dumps(document).encode()})


def test_it_keeps_whom_a_reply_to_a_reply_answers(owner, reader, history):
    thread = Comment.objects.get(parent=None)
    answered = Comment.objects.get(parent=thread)
    make_comment(history, reader, parent=thread, reply_to=answered, body="And to you!")
    data = export_bytes(owner)
    owner.delete()
    fresh = make_user("newowner")

    import_archive(fresh, io.BytesIO(data))

    answer = Comment.objects.get(body="And to you!")
    assert answer.reply_to.body == answered.body
    assert answer.reply_to.author == fresh


def test_it_imports_an_older_archive_whose_replies_answer_no_reply(owner, reader, history):
    def drop_reply_to(document):
        for year in document["years"]:
            for comment in year["comments"]:
                comment.pop("reply_to")

    data = with_document(export_bytes(owner), drop_reply_to)
    owner.delete()

    import_archive(make_user("newowner"), io.BytesIO(data))

    assert Comment.objects.filter(parent__isnull=False, reply_to__isnull=True).count() == 1


def test_it_refuses_a_reply_to_a_comment_of_another_thread(owner, reader, history):
    other = make_comment(history, reader, body="Another thread")

    def answer_elsewhere(document):
        comments = document["years"][0]["comments"]
        reply = next(comment for comment in comments if comment["parent"])
        reply["reply_to"] = str(other.key)

    data = with_document(export_bytes(owner), answer_elsewhere)

    with pytest.raises(ArchiveError, match="answers no earlier comment of the same thread"):
        import_archive(make_user("newowner"), io.BytesIO(data))
