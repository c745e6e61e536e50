from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from planner.models import Answer, Area, DefaultArea, Entry, Goal, OwnQuestion, Year
from portability.archive import import_archive
from tests.factory import make_answer, make_entry, make_goal, make_user, make_year
from tests.portability.archive_helpers import (
    document_of,
    export_bytes,
    stored_files,
    upload,
    with_document,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("portability:archive_import")


@pytest.fixture
def sorted_year(owner):
    """A year with goals and entries in life areas, an own question, and answers."""
    Area.objects.ensure_defaults(owner)
    health = Area.objects.get(owner=owner, default=DefaultArea.HEALTH)
    health.name = "Fitness"
    health.save()
    side = Area.objects.create(owner=owner, name="Side projects", order=7)
    year = make_year(owner, year=2025)
    make_goal(year, title="Run 10 km", area=health)
    make_goal(year, title="No area")
    make_entry(year, 2, title="The app", area=side)
    question = OwnQuestion.objects.create(
        owner=owner, question_set="period", text="무엇이 나를 웃게 했나?"
    )
    OwnQuestion.objects.create(owner=owner, question_set="plan", text="Not answered yet")
    make_answer(year, "period-1", text="To rest.", shown_in_post=True)
    make_answer(year, "period-2", question_key="", own_question=question, text="친구들.")
    make_answer(year, "year", question_key="year-lesson", text="Patience.", shown_in_post=True)
    return year


def counts() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "questions": OwnQuestion.objects.count(),
        "answers": Answer.objects.count(),
        "years": Year.objects.count(),
        "goals": Goal.all_objects.count(),
        "entries": Entry.all_objects.count(),
    }


def answers_of(user: User) -> set[tuple]:
    return {
        (a.place, a.question_key, a.own_question and a.own_question.text, a.text, a.shown_in_post)
        for a in Answer.objects.filter(year__owner=user).select_related("own_question")
    }


def test_it_names_areas_and_own_questions_by_references_in_the_archive(owner, sorted_year):
    document = document_of(export_bytes(owner))

    assert document["schema_version"] == 2
    assert document["user"]["life_areas_created"] is True
    areas = {area["ref"]: area for area in document["areas"]}
    assert areas["area-2"] == {"ref": "area-2", "name": "Fitness", "default": "health", "order": 2}
    assert areas["area-7"] == {"ref": "area-7", "name": "Side projects", "default": "", "order": 7}
    year = document["years"][0]
    assert [goal["area"] for goal in year["goals"]] == ["area-2", None]
    assert year["periods"][1]["entries"][0]["area"] == "area-7"
    assert [q["ref"] for q in document["own_questions"]] == ["question-1", "question-2"]
    own = next(answer for answer in year["answers"] if answer["own_question"])
    assert own["own_question"] == "question-1" and own["question_key"] == ""
    assert own["shown_in_post"] is False


def test_a_round_trip_into_a_fresh_account_keeps_areas_questions_and_answers(owner, sorted_year):
    data = export_bytes(owner)
    fresh = make_user("fresh")

    import_archive(fresh, io.BytesIO(data))

    assert Goal.objects.get(year__owner=fresh, title="Run 10 km").area.label == "Fitness"
    assert Goal.objects.get(year__owner=fresh, title="No area").area is None
    assert Entry.objects.get(period__year__owner=fresh).area.name == "Side projects"
    assert Area.objects.filter(owner=fresh).count() == 7
    assert set(OwnQuestion.objects.filter(owner=fresh).values_list("text", flat=True)) == {
        "무엇이 나를 웃게 했나?",
        "Not answered yet",
    }
    assert answers_of(fresh) == answers_of(owner)
    fresh.refresh_from_db()
    Area.objects.ensure_defaults(fresh)  # the archive's list is theirs: no defaults added
    assert Area.objects.filter(owner=fresh).count() == 7


def test_a_restored_account_exports_the_same_archive_again(owner, sorted_year):
    data = export_bytes(owner)
    owner.delete()

    import_archive(User(username="owner"), io.BytesIO(data))

    first = document_of(data)
    second = document_of(export_bytes(User.objects.get(username="owner")))
    first.pop("exported_at"), second.pop("exported_at")
    assert first == second


def test_it_merges_areas_into_an_account_that_has_the_defaults(owner, reader, sorted_year):
    Area.objects.ensure_defaults(reader)
    money = Area.objects.get(owner=reader, default=DefaultArea.MONEY)
    money.name = "Finances"
    money.save()
    Area.objects.create(owner=reader, name="SIDE PROJECTS", order=7)

    import_archive(reader, io.BytesIO(export_bytes(owner)))

    # Six defaults matched by their key, "Side projects" by its name: nothing added.
    assert Area.objects.filter(owner=reader).count() == 7
    goal = Goal.objects.get(year__owner=reader, title="Run 10 km")
    assert goal.area.default == DefaultArea.HEALTH and goal.area.name == ""  # reader's own
    assert Entry.objects.get(period__year__owner=reader).area.name == "SIDE PROJECTS"
    money.refresh_from_db()
    assert money.name == "Finances"


def test_it_adds_unmatched_areas_after_the_accounts_own(owner, reader, sorted_year):
    Area.objects.create(owner=reader, name="Garden", order=3)

    import_archive(reader, io.BytesIO(export_bytes(owner)))

    areas = list(Area.objects.filter(owner=reader).order_by("order", "id"))
    assert [area.label for area in areas][:3] == ["Garden", "Career and studies", "Fitness"]
    assert [area.order for area in areas] == [3, 4, 5, 6, 7, 8, 9, 10]


def test_a_second_import_adds_nothing(client, owner, reader, sorted_year):
    data = export_bytes(owner)
    client.force_login(reader)

    assert client.post(IMPORT_URL, {"archive": upload(data)}).status_code == 302
    before = counts()
    assert client.post(IMPORT_URL, {"archive": upload(data)}).status_code == 302

    assert counts() == before
    assert answers_of(reader) == answers_of(owner)


def test_it_restores_an_answers_text_and_shown_flag(owner, sorted_year):
    data = export_bytes(owner)
    answer = Answer.objects.get(place="year")
    answer.text, answer.shown_in_post = "Changed", False
    answer.save()

    import_archive(owner, io.BytesIO(data))

    answer.refresh_from_db()
    assert (answer.text, answer.shown_in_post) == ("Patience.", True)
    assert Answer.objects.count() == 3


def as_version_1(document: dict) -> None:
    """The document as a site before areas and answers wrote it."""
    document["schema_version"] = 1
    for name in ("areas", "own_questions"):
        del document[name]
    del document["user"]["life_areas_created"]
    for year in document["years"]:
        del year["answers"]
        for goal in year["goals"]:
            del goal["area"]
        for period in year["periods"]:
            for entry in period["entries"]:
                del entry["area"]


def test_it_still_imports_a_version_1_archive(owner, reader, sorted_year):
    data = with_document(export_bytes(owner), as_version_1)

    import_archive(reader, io.BytesIO(data))

    assert Goal.objects.get(year__owner=reader, title="Run 10 km").area is None
    assert not Area.objects.filter(owner=reader).exists()
    assert not Answer.objects.filter(year__owner=reader).exists()
    reader.refresh_from_db()
    assert not reader.life_areas_created  # the defaults still come when first needed


def test_a_version_1_archive_leaves_the_areas_here_as_they_are(owner, sorted_year):
    data = with_document(export_bytes(owner), as_version_1)

    import_archive(owner, io.BytesIO(data))

    assert Goal.objects.get(title="Run 10 km").area.name == "Fitness"
    assert Answer.objects.count() == 3


def first_year(change):
    return lambda document: change(document["years"][0])


def first_answer(**values):
    return first_year(lambda year: year["answers"][0].update(values))


def duplicate_answer(year: dict) -> None:
    year["answers"].append(dict(year["answers"][0], text="Again"))


HOSTILE_DOCUMENTS = {
    "a goal in an unknown area": (
        first_year(lambda year: year["goals"][0].update(area="area-99")),
        "years[0].goals[0].area: names no life area of the archive.",
    ),
    "an entry in an area by database id": (
        first_year(lambda year: year["periods"][1]["entries"][0].update(area=7)),
        "years[0].periods[1].entries[0].area: names no life area of the archive.",
    ),
    "an unknown question key": (
        first_answer(question_key="period-regrets"),
        "years[0].answers[0].question_key: no built-in question has the key “period-regrets”.",
    ),
    "an unknown own question": (
        first_answer(question_key="", own_question="question-9"),
        "years[0].answers[0].own_question: names no own question of the archive.",
    ),
    "a place that does not exist": (
        first_answer(place="period-4"),
        "years[0].answers[0].place: no such place on a post; "
        "expected one of period-1, period-2, period-3, year, plan.",
    ),
    "a question asked elsewhere": (
        first_answer(place="plan"),
        "years[0].answers[0]: this question is not asked at this place.",
    ),
    "two questions in one answer": (
        first_answer(own_question="question-1"),
        "years[0].answers[0]: an answer answers one question, not two.",
    ),
    "an answer twice": (
        first_year(duplicate_answer),
        "years[0].answers[3]: this question is answered twice at this place.",
    ),
    "a default area twice": (
        lambda d: d["areas"].append(dict(d["areas"][0], ref="area-x")),
        "areas[7]: this life area appears twice in the archive.",
    ),
    "an area named twice": (
        lambda d: d["areas"].append({"ref": "x", "name": "side PROJECTS", "order": 9}),
        "areas[7]: this life area appears twice in the archive.",
    ),
    "a reference twice": (
        lambda d: d["own_questions"][0].update(ref="area-1"),
        "own_questions[0].ref: this reference appears twice in the archive.",
    ),
    "an area without a name": (
        lambda d: d["areas"].append({"ref": "x", "name": "", "default": "", "order": 9}),
        "areas[7].name: an area needs a name.",
    ),
    "an unknown default area": (
        lambda d: d["areas"][0].update(default="wealth"),
        "areas[0].default: no default life area has the key “wealth”.",
    ),
    "an own question twice": (
        lambda d: d["own_questions"].append(dict(d["own_questions"][0], ref="q")),
        "own_questions[2]: this question appears twice in the archive.",
    ),
    "an own question of no set": (
        lambda d: d["own_questions"][0].update(question_set="decade"),
        "own_questions[0].question_set",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_DOCUMENTS)
def test_it_refuses_bad_areas_and_answers_and_keeps_nothing(
    client, owner, reader, sorted_year, case
):
    change, message = HOSTILE_DOCUMENTS[case]
    data = with_document(export_bytes(owner), change)
    client.force_login(reader)
    before, files = counts(), stored_files()

    response = client.post(IMPORT_URL, {"archive": upload(data)})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert counts() == before
    assert stored_files() == files
    reader.refresh_from_db()
    assert not reader.life_areas_created


def test_it_refuses_in_the_readers_language(client, owner, reader, sorted_year):
    reader.language = "ko"
    reader.save(update_fields=["language"])
    data = with_document(export_bytes(owner), HOSTILE_DOCUMENTS["a goal in an unknown area"][0])
    client.force_login(reader)

    # The request switches this thread to Korean; the tests after this one run in English.
    with translation.override("en"):
        response = client.post(IMPORT_URL, {"archive": upload(data)}, HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 422
    assert "years[0].goals[0].area: 아카이브에 없는 삶의 영역입니다." in response.content.decode()
