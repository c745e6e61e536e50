"""Goals of the person's years, and the progress logged toward them. A logged step makes the
goal's figures again and ticks it when they reach its target, as on the page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from planner.forms import GoalForm, GoalUpdateForm, delete_update
from planner.models import Goal, GoalUpdate
from planner.ordering import reorder
from planner.permissions import get_goal_for, get_update_for

from ..errors import ApiError
from ..schemas import (
    GoalChange,
    GoalCreate,
    GoalOut,
    Id,
    Order,
    Tick,
    UpdateChange,
    UpdateIn,
    UpdateOut,
    YearNumber,
)
from ..writes import KEYED, created, form_data, valid
from .years import ERRORS, own_year

router = Router(tags=["goals"])

GOAL_FIELDS = list(GoalForm.Meta.fields)


def goals_of(post) -> QuerySet[Goal]:
    return Goal.objects.filter(year=post).select_related("year").prefetch_related("updates")


def fresh(goal: Goal) -> Goal:
    return goals_of(goal.year).get(pk=goal.pk)


@router.get(
    "/years/{year}/goals", response={200: list[GoalOut], **ERRORS}, summary="A year's goals"
)
def goal_list(request: HttpRequest, year: Path[YearNumber]):
    return list(goals_of(own_year(request, year)))


@router.post(
    "/years/{year}/goals",
    response={201: GoalOut, **ERRORS},
    summary="Set a goal",
    openapi_extra=KEYED,
)
def goal_create(request: HttpRequest, year: Path[YearNumber], payload: GoalCreate):
    post = own_year(request, year)

    def make() -> Goal:
        data = {name: value for name, value in payload.model_dump().items() if value is not None}
        return fresh(valid(GoalForm(data, instance=Goal(year=post))).save())

    return created(request, GoalOut, make)


@router.put(
    "/years/{year}/goals/order",
    response={200: list[GoalOut], **ERRORS},
    summary="Put a year's goals in order",
    description="`order` lists every goal of the year by id, in the order wanted.",
)
def goal_reorder(request: HttpRequest, year: Path[YearNumber], payload: Order):
    post = own_year(request, year)
    if not reorder(list(Goal.objects.filter(year=post)), [str(pk) for pk in payload.order]):
        raise ApiError(
            422,
            "invalid_order",
            _("List every goal of the year once, by its id."),
            {"order": [_("List every goal of the year once, by its id.")]},
        )
    return list(goals_of(post))


@router.get("/goals/{goal_id}", response={200: GoalOut, **ERRORS}, summary="One goal")
def goal_read(request: HttpRequest, goal_id: Path[Id]):
    return fresh(get_goal_for(request, goal_id))


@router.patch("/goals/{goal_id}", response={200: GoalOut, **ERRORS}, summary="Change a goal")
def goal_change(request: HttpRequest, goal_id: Path[Id], payload: GoalChange):
    goal = get_goal_for(request, goal_id)
    changes = payload.model_dump(exclude_unset=True)
    data = form_data(goal, GOAL_FIELDS, changes)
    for name in ("is_private", "done"):  # a checkbox left out of a form means False
        data.setdefault(name, False)
    valid(GoalForm(data, instance=goal)).save()
    return fresh(goal)


@router.post("/goals/{goal_id}/tick", response={200: GoalOut, **ERRORS}, summary="Tick or untick")
def goal_tick(request: HttpRequest, goal_id: Path[Id], payload: Tick):
    goal = get_goal_for(request, goal_id)
    goal.tick(payload.done)
    return fresh(goal)


@router.post(
    "/goals/{goal_id}/follow-figures",
    response={200: GoalOut, **ERRORS},
    summary="Let the figures tick the goal again",
    description=(
        "A goal ticked or unticked by hand (`ticked_by_hand`) stays so whatever its figures do; "
        "this lets them decide again, as the page's button does. No body."
    ),
)
def goal_follow_figures(request: HttpRequest, goal_id: Path[Id]):
    goal = get_goal_for(request, goal_id)
    goal.follow_figures()
    return fresh(goal)


@router.delete("/goals/{goal_id}", response={204: None, **ERRORS}, summary="Delete a goal")
def goal_delete(request: HttpRequest, goal_id: Path[Id]):
    get_goal_for(request, goal_id).soft_delete()  # restorable on the page for a week
    return Status(204, None)


@router.post(
    "/goals/{goal_id}/progress",
    response={201: UpdateOut, **ERRORS},
    summary="Log progress",
    openapi_extra=KEYED,
)
def update_create(request: HttpRequest, goal_id: Path[Id], payload: UpdateIn):
    goal = get_goal_for(request, goal_id)

    def make() -> GoalUpdate:
        update = valid(GoalUpdateForm(payload.model_dump(), goal=goal)).save()
        return GoalUpdate.objects.get(pk=update.pk)  # its amount as stored: "2.50"

    return created(request, UpdateOut, make)


@router.patch(
    "/progress/{update_id}", response={200: UpdateOut, **ERRORS}, summary="Correct progress"
)
def update_change(request: HttpRequest, update_id: Path[Id], payload: UpdateChange):
    update = get_update_for(request, update_id)
    data = form_data(
        update, ["value", "recorded_on", "remark"], payload.model_dump(exclude_unset=True)
    )
    valid(GoalUpdateForm(data, instance=update, goal=update.goal)).save()
    return GoalUpdate.objects.get(pk=update.pk)


@router.delete("/progress/{update_id}", response={204: None, **ERRORS}, summary="Delete progress")
def update_delete(request: HttpRequest, update_id: Path[Id]):
    delete_update(get_update_for(request, update_id))
    return Status(204, None)
