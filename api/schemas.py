"""What the API sends and takes. Amounts are decimals sent as strings ("10.50"), dates as
ISO 8601, texts with the `version` a change must be based on."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt

from planner.forms import text_version
from planner.models import MAX_YEAR, MIN_YEAR, Comment, Entry, Goal, Photo, Year
from planner.permissions import MAX_YEAR as DATABASE_MAX_YEAR

# Ids and year numbers bounded to what the database holds, so a huge one is a 422, not a 500.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
YearNumber = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
# The long texts of a year, by the name in their address.
TextName = Literal["intro", "summary", "period-1", "period-2", "period-3"]
PeriodIndex = Annotated[int, Field(ge=1, le=3)]
# A username as Django's validator allows it (a NUL byte never reaches PostgreSQL).
Username = Annotated[str, Field(max_length=150, pattern=r"^[\w.@+-]+$")]
Amount = Annotated[Decimal, Field(max_digits=30, allow_inf_nan=False)]
# In a body, numbers and yes-or-no are JSON's own: "5", 5.0 or "yes" are not taken for them.
BodyId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]
BodyPeriodIndex = Annotated[StrictInt, Field(ge=1, le=3)]


class In(Schema):
    """A request body: a field the API does not know is refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


# Out


class PhotoOut(Schema):
    id: int
    caption: str
    width: int
    height: int
    url: str
    taken_at: datetime.datetime | None

    @staticmethod
    def resolve_url(photo: Photo) -> str:
        return photo.fallback_url


class EntryOut(Schema):
    id: int
    period: int
    title: str
    body: str
    version: str = Field(description="The body's version, for a change based on it.")
    is_private: bool
    area: int | None
    order: int
    photos: list[PhotoOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_period(entry: Entry) -> int:
        return entry.period.index

    @staticmethod
    def resolve_version(entry: Entry) -> str:
        return text_version(entry.body)

    @staticmethod
    def resolve_area(entry: Entry) -> int | None:
        return entry.area_id

    @staticmethod
    def resolve_photos(entry: Entry) -> list[Photo]:
        return list(entry.photos.all())


class UpdateOut(Schema):
    id: int
    goal: int
    recorded_on: datetime.date
    value: Decimal
    remark: str

    @staticmethod
    def resolve_goal(update) -> int:
        return update.goal_id


class GoalOut(Schema):
    id: int
    year: int
    title: str
    done: bool
    done_at: datetime.datetime | None
    ticked_by_hand: bool
    note: str
    target: Decimal | None
    unit: str
    progress: Decimal | None
    progress_kind: str
    direction: str
    start_value: Decimal | None
    deadline: datetime.date | None
    is_private: bool
    area: int | None
    order: int
    carried_from: int | None
    updates: list[UpdateOut]

    @staticmethod
    def resolve_year(goal: Goal) -> int:
        return goal.year.year

    @staticmethod
    def resolve_area(goal: Goal) -> int | None:
        return goal.area_id

    @staticmethod
    def resolve_carried_from(goal: Goal) -> int | None:
        return goal.carried_from_id

    @staticmethod
    def resolve_updates(goal: Goal) -> list:
        return list(goal.updates.all())


class TextOut(Schema):
    text: str
    version: str


class PeriodOut(Schema):
    index: int
    label: str
    retrospective: TextOut

    @staticmethod
    def resolve_label(period) -> str:
        return str(period.label)

    @staticmethod
    def resolve_retrospective(period) -> dict:
        return {"text": period.retrospective, "version": text_version(period.retrospective)}


class YearListItem(Schema):
    year: int
    title: str
    display_title: str
    visibility: str
    published_at: datetime.datetime | None
    url: str

    @staticmethod
    def resolve_url(post: Year) -> str:
        return post.get_absolute_url()


class YearOut(YearListItem):
    intro: TextOut
    summary: TextOut
    comments_closed: bool
    periods: list[PeriodOut]

    @staticmethod
    def resolve_intro(post: Year) -> dict:
        return {"text": post.intro, "version": text_version(post.intro)}

    @staticmethod
    def resolve_summary(post: Year) -> dict:
        return {"text": post.summary, "version": text_version(post.summary)}

    @staticmethod
    def resolve_periods(post: Year) -> list:
        return list(post.periods.all())


class PublicGoalOut(Schema):
    id: int
    title: str
    done: bool
    note: str
    target: Decimal | None
    unit: str
    progress: Decimal | None
    deadline: datetime.date | None


class PublicEntryOut(Schema):
    id: int
    title: str
    body: str
    photos: list[PhotoOut]

    @staticmethod
    def resolve_photos(entry: Entry) -> list[Photo]:
        return list(entry.photos.all())


class PublicPeriodOut(Schema):
    index: int
    label: str
    retrospective: str
    entries: list[PublicEntryOut]

    @staticmethod
    def resolve_label(period) -> str:
        return str(period.label)

    @staticmethod
    def resolve_entries(period) -> list[Entry]:
        return list(period.entries.all())


class PublicYearOut(Schema):
    owner: str
    year: int
    display_title: str
    intro: str
    summary: str
    published_at: datetime.datetime | None
    url: str
    goals: list[PublicGoalOut]
    periods: list[PublicPeriodOut]

    @staticmethod
    def resolve_owner(post: Year) -> str:
        return post.owner.username

    @staticmethod
    def resolve_url(post: Year) -> str:
        return post.get_absolute_url()

    @staticmethod
    def resolve_goals(post: Year) -> list[Goal]:
        return list(post.goals.all())

    @staticmethod
    def resolve_periods(post: Year) -> list:
        return list(post.periods.all())


class ReplyOut(Schema):
    id: int
    author: str | None
    author_name: str
    body: str
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    removed: bool

    @staticmethod
    def resolve_author(comment: Comment) -> str | None:
        return comment.author.username if comment.author_id else None

    @staticmethod
    def resolve_body(comment: Comment) -> str:
        return "" if comment.is_removed else comment.body

    @staticmethod
    def resolve_removed(comment: Comment) -> bool:
        return comment.is_removed


class CommentOut(ReplyOut):
    parent: int | None
    replies: list[ReplyOut]

    @staticmethod
    def resolve_parent(comment: Comment) -> int | None:
        return comment.parent_id

    @staticmethod
    def resolve_replies(comment: Comment) -> list[Comment]:
        return getattr(comment, "shown_replies", [])


class CommentPage(Schema):
    count: int
    page: int
    more: bool
    threads: list[CommentOut]


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorBody


# In


class YearCreate(In):
    # Any year the database holds: the form says which years a post may have.
    year: Annotated[StrictInt, Field(ge=1, le=DATABASE_MAX_YEAR)]
    visibility: Literal["private", "unlisted", "public"] = "private"


class YearChange(In):
    title: str | None = None
    visibility: Literal["private", "unlisted", "public"] | None = None


class TextChange(In):
    text: str
    version: str = Field(max_length=64, description="The version the new text is based on.")


class GoalFields(In):
    title: str | None = None
    note: str | None = None
    target: Amount | None = None
    unit: str | None = None
    progress_kind: Literal["count", "latest"] | None = None
    direction: Literal["at_least", "at_most"] | None = None
    start_value: Amount | None = None
    deadline: datetime.date | None = None
    area: BodyId | None = None
    is_private: StrictBool | None = None


class GoalCreate(GoalFields):
    title: str


class GoalChange(GoalFields):
    done: StrictBool | None = None


class Tick(In):
    done: StrictBool


class Order(In):
    order: list[BodyId] = Field(max_length=10_000)


class UpdateIn(In):
    value: Amount
    recorded_on: datetime.date
    remark: str = ""


class UpdateChange(In):
    value: Amount | None = None
    recorded_on: datetime.date | None = None
    remark: str | None = None


class EntryCreate(In):
    title: str
    body: str = ""
    area: BodyId | None = None
    is_private: StrictBool = False


class EntryChange(In):
    title: str | None = None
    body: str | None = None
    version: str | None = Field(
        None, max_length=64, description="The body's version this change is based on."
    )
    period: BodyPeriodIndex | None = Field(None, description="Move the entry to this period.")
    area: BodyId | None = None
    is_private: StrictBool | None = None


class CaptionChange(In):
    caption: str


class CommentIn(In):
    body: str
    parent: BodyId | None = None
