from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yearloop.http import AuthedRequest

from ..forms import GoalForm, GoalNoteForm, GoalUpdateForm, delete_update, rebased
from ..models import Goal, Year
from ..ordering import move_in_place, reorder
from ..permissions import get_goal_for, get_update_for, get_year_for, login_required_in_place
from ..post_page import CARRIED_TO
from ..templatetags.planner import quantity
from .responses import (
    back_url,
    form_status,
    fragment_or_redirect,
    order_refused,
    privacy_announcement,
)


def goal_list_context(post: Year, **extra) -> dict:
    """What the owner's goal list needs: the goals, the count and what may be restored."""
    goals = list(
        Goal.objects.filter(year=post)
        .select_related("carried_from__year__owner")
        .prefetch_related("updates", CARRIED_TO)
    )
    return {
        "post": post,
        "owner": post.owner,
        "is_owner": True,
        "goals": goals,
        "reached": sum(goal.done for goal in goals),
        "deleted_goals": Goal.all_objects.filter(year=post).recently_deleted(),
        **extra,
    }


def goal_list_response(
    request: AuthedRequest, post: Year, anchor: str = "", status: int = 200, **extra
) -> HttpResponse:
    return fragment_or_redirect(
        request,
        "planner/includes/goal_list.html",
        lambda: goal_list_context(post, **extra),
        back_url(request, post, anchor),
        status,
    )


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def goal_create(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    post = get_year_for(request, username, year, write=True)
    form = GoalForm(request.POST or None, instance=Goal(year=post))
    if form.is_valid():
        goal = form.save()
        if not request.htmx:
            messages.success(request, _("Goal added."))
        return goal_list_response(request, post, f"#goal-{goal.pk}")
    if request.htmx:
        return goal_list_response(request, post, status=422, new_goal_form=form)
    context = {"form": form, "post": post}
    return render(request, "planner/goal_form.html", context, status=form_status(form))


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def goal_edit(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id)
    form = GoalForm(request.POST or None, instance=goal)
    if form.is_valid() and form.save_checked():
        messages.success(request, _("Goal saved."))
        return redirect(goal)
    status, conflicts = form_status(form), form.conflicts
    if conflicts:
        # The goal as it is now becomes the new base; what the person wrote stays in the form.
        goal = get_goal_for(request, goal_id)
        form, status = rebased(GoalForm, request.POST, goal), 409
    context = {"form": form, "post": goal.year, "goal": goal, "conflicts": conflicts}
    return render(request, "planner/goal_form.html", context, status=status)


@login_required_in_place
@require_POST
def goal_toggle(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id)
    # The form says which state it asks for; without it, the tick flips.
    goal.tick({"1": True, "0": False}.get(request.POST.get("done", "")))
    said = _("“%(title)s” reached.") if goal.done else _("“%(title)s” not reached.")
    return goal_list_response(
        request, goal.year, f"#goal-{goal.pk}", announce=said % {"title": goal.title}
    )


@login_required_in_place
@require_safe
def goal_note(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id)
    context = {"goal": goal, "is_owner": True, "in_place": True}
    return fragment_or_redirect(
        request, "planner/includes/goal_note.html", lambda: context, goal.get_absolute_url()
    )


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def goal_note_edit(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id)
    form = GoalNoteForm(request.POST or None, instance=goal)
    if form.is_valid() and form.save() and form.conflict is None:
        if request.htmx:
            context = {"goal": goal, "is_owner": True, "in_place": True}
            return render(request, "planner/includes/goal_note.html", context)
        messages.success(request, _("Note saved."))
        return redirect(goal)
    status = form_status(form)
    if form.conflict is not None:
        # The text as it is now becomes the new base; the person's own text stays in the box.
        theirs, mine = form.conflict, form.data["note"]
        goal.note = theirs
        form, status = GoalNoteForm(initial={"note": mine}, instance=goal), 409
        form.conflict = theirs
    template = "planner/goal_note_form.html" + ("#note_form" if request.htmx else "")
    context = {
        "goal": goal,
        "form": form,
        "conflict": form.conflict,
        "cancel_url": goal.get_absolute_url(),
    }
    return render(request, template, context, status=status)


@login_required_in_place
@require_POST
def goal_update_create(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id)
    form = GoalUpdateForm(request.POST, goal=goal)
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        # What was typed comes back in the form, to be fixed rather than typed again.
        sent = {name: request.POST.get(name, "") for name in ("value", "recorded_on", "remark")}
        if not request.htmx:
            context = {"goal": goal, "errors": errors, "sent": sent}
            return render(request, "planner/goal_update_refused.html", context, status=422)
        update_errors = {"goal": goal.pk, "messages": errors, "sent": sent}
        return goal_list_response(
            request,
            goal.year,
            status=422,
            open_log=goal.pk,
            update_errors=update_errors,
            focus=f"log-value-{goal.pk}",
        )
    form.save()  # its figures and tick are made again on this very `goal`
    said = _("Logged for “%(title)s”: %(progress)s of %(target)s.") % {
        "title": goal.title,
        "progress": quantity(goal.progress),
        "target": quantity(goal.target),
    }
    return goal_list_response(
        request,
        goal.year,
        f"#goal-{goal.pk}",
        open_log=goal.pk,
        focus=f"log-value-{goal.pk}",
        announce=said,
    )


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def goal_update_edit(request: AuthedRequest, update_id: int) -> HttpResponse:
    """A logged step corrected: in place (htmx) or on a page of its own."""
    update = get_update_for(request, update_id)
    goal = update.goal
    if request.htmx and "cancel" in request.GET:  # the step as it was, in place of the form
        context = {"update": update, "goal": goal, "focus_edit": True}
        return render(request, "planner/includes/goal_update_row.html", context)
    form = GoalUpdateForm(request.POST or None, instance=update, goal=goal)
    if form.is_valid():
        form.save()
        if not request.htmx:
            messages.success(request, _("Progress corrected."))
        said = _("Progress of “%(title)s” corrected.") % {"title": goal.title}
        return goal_list_response(
            request,
            goal.year,
            f"#goal-{goal.pk}",
            open_log=goal.pk,
            focus=f"update-edit-{update.pk}",
            announce=said,
        )
    context = {"form": form, "update": update, "goal": goal}
    template = "planner/goal_update_form.html" + ("#update_form" if request.htmx else "")
    return render(request, template, context, status=form_status(form))


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def goal_update_delete(request: AuthedRequest, update_id: int) -> HttpResponse:
    update = get_update_for(request, update_id)
    goal = update.goal
    if request.method == "POST":
        delete_update(update)
        if not request.htmx:
            messages.success(request, _("Progress entry deleted."))
        return goal_list_response(
            request,
            goal.year,
            f"#goal-{goal.pk}",
            open_log=goal.pk,
            focus=f"log-{goal.pk}",
            announce=_("Progress entry of “%(title)s” deleted.") % {"title": goal.title},
        )
    context = {
        "object_label": f"{date_format(update.recorded_on)} — {quantity(update.value)} {goal.unit}",
        "cancel_url": goal.get_absolute_url(),
    }
    return render(request, "planner/confirm_delete.html", context)


@login_required_in_place
@require_POST
def goal_follow_figures(request: AuthedRequest, goal_id: int) -> HttpResponse:
    """A goal ticked by hand goes back to being ticked by its figures."""
    goal = get_goal_for(request, goal_id)
    goal.follow_figures()
    return goal_list_response(
        request,
        goal.year,
        f"#goal-{goal.pk}",
        focus=f"tick-{goal.pk}",
        announce=(
            _("“%(title)s” follows its figures again: reached.")
            if goal.done
            else _("“%(title)s” follows its figures again: not reached.")
        )
        % {"title": goal.title},
    )


@login_required_in_place
@require_POST
def goal_move(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id)
    goals = list(Goal.objects.filter(year=goal.year))
    direction = request.POST.get("direction", "")
    moved = move_in_place(goals, goal, direction, "", f"menu-{goal.pk}", goal.title)
    return goal_list_response(request, goal.year, f"#goal-{goal.pk}", **moved)


@login_required_in_place
@require_POST
def goal_reorder(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    post = get_year_for(request, username, year, write=True)
    if not reorder(list(Goal.objects.filter(year=post)), request.POST.getlist("order")):
        in_place = partial(goal_list_response, request, post)
        return order_refused(request, in_place, post.get_absolute_url() + "#goals")
    return goal_list_response(request, post, "#goals")


@login_required_in_place
@require_POST
def goal_privacy(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id)
    goal.is_private = not goal.is_private
    goal.save(update_fields=["is_private"])
    return goal_list_response(
        request,
        goal.year,
        f"#goal-{goal.pk}",
        focus=f"lock-{goal.pk}",
        announce=privacy_announcement(goal.is_private, goal.title),
    )


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def goal_delete(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id)
    if request.method == "POST":
        goal.soft_delete()
        if not request.htmx:
            messages.success(
                request,
                _("Goal “%(title)s” deleted. You can undo this for a week.")
                % {"title": goal.title},
            )
        return goal_list_response(
            request,
            goal.year,
            "#goals",
            focus=f"goal-undo-{goal.pk}",
            announce=_("“%(title)s” deleted. You can undo this.") % {"title": goal.title},
        )
    context = {
        "object_label": goal.title,
        "cancel_url": goal.year.get_absolute_url() + "#goals",
        "restorable": True,
    }
    return render(request, "planner/confirm_delete.html", context)


@login_required_in_place
@require_POST
def goal_restore(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id, deleted=True)
    goal.restore()
    if not request.htmx:
        messages.success(request, _("Goal “%(title)s” is back.") % {"title": goal.title})
    return goal_list_response(
        request,
        goal.year,
        f"#goal-{goal.pk}",
        focus=f"menu-{goal.pk}",
        announce=_("Goal “%(title)s” is back.") % {"title": goal.title},
    )
