"""Entries of the person's periods: Markdown text, moved between periods, deleted (for a week
restorable on the page)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from planner.forms import EntryForm, text_version
from planner.models import Entry
from planner.permissions import get_entry_for, get_period_for

from ..errors import ApiError
from ..schemas import EntryChange, EntryCreate, EntryOut, Id, PeriodIndex, YearNumber
from ..writes import KEYED, created, form_data, valid
from .years import ERRORS

router = Router(tags=["entries"])


def entries() -> QuerySet[Entry]:
    return Entry.objects.select_related("period").prefetch_related("photos")


@router.get(
    "/years/{year}/periods/{index}/entries",
    response={200: list[EntryOut], **ERRORS},
    summary="A period's entries",
)
def entry_list(request: HttpRequest, year: Path[YearNumber], index: Path[PeriodIndex]):
    period = get_period_for(request, request.user.username, year, index)
    return list(entries().filter(period=period))


@router.post(
    "/years/{year}/periods/{index}/entries",
    response={201: EntryOut, **ERRORS},
    summary="Write an entry",
    description="The body is Markdown. Photos are added afterwards: POST /entries/{id}/photos.",
    openapi_extra=KEYED,
)
def entry_create(
    request: HttpRequest, year: Path[YearNumber], index: Path[PeriodIndex], payload: EntryCreate
):
    period = get_period_for(request, request.user.username, year, index)

    def make() -> Entry:
        data = {name: value for name, value in payload.model_dump().items() if value is not None}
        entry = valid(EntryForm(data, period=period)).save()
        return entries().get(pk=entry.pk)

    return created(request, EntryOut, make)


@router.get("/entries/{entry_id}", response={200: EntryOut, **ERRORS}, summary="One entry")
def entry_read(request: HttpRequest, entry_id: Path[Id]):
    return entries().get(pk=get_entry_for(request, entry_id).pk)


@router.patch(
    "/entries/{entry_id}",
    response={200: EntryOut, **ERRORS},
    summary="Change an entry, or move it to another period",
    description=(
        "A new `body` may carry the `version` it was based on (from the entry as read); if the "
        "body changed since, nothing is saved and the answer is 409 with the stored body."
    ),
)
def entry_change(request: HttpRequest, entry_id: Path[Id], payload: EntryChange):
    entry = get_entry_for(request, entry_id)
    changes = payload.model_dump(exclude_unset=True)
    based_on = changes.pop("version", None)
    if based_on is not None and "body" in changes:
        current = text_version(entry.body)
        if based_on != current and changes["body"] != entry.body:
            raise ApiError(
                409,
                "conflict",
                _("Changed elsewhere since you started."),
                current={"text": entry.body, "version": current},
                sent={"text": changes["body"], "version": based_on},
            )
    if "period" in changes:
        index = changes.pop("period")
        changes["period"] = entry.period.year.periods.get(index=index).pk
    data = form_data(entry, ["title", "body", "area", "is_private"], changes)
    data.setdefault("is_private", False)
    valid(EntryForm(data, instance=entry, period=entry.period)).save()
    return entries().get(pk=entry.pk)


@router.delete("/entries/{entry_id}", response={204: None, **ERRORS}, summary="Delete an entry")
def entry_delete(request: HttpRequest, entry_id: Path[Id]):
    get_entry_for(request, entry_id).soft_delete()
    return Status(204, None)
