from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import GoalForm
from ..models import Goal
from ..permissions import get_goal_for, get_year_for
from ..types import AuthedRequest


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    post = get_year_for(request, username, year, write=True)
    form = GoalForm(request.POST or None, instance=Goal(year=post))
    if form.is_valid():
        form.save()
        messages.success(request, _("Goal added."))
        return redirect(post.get_absolute_url() + "#goals")
    status = 422 if form.is_bound else 200
    return render(request, "planner/goal_form.html", {"form": form, "post": post}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id)
    form = GoalForm(request.POST or None, instance=goal)
    if form.is_valid():
        form.save()
        messages.success(request, _("Goal saved."))
        return redirect(goal.year.get_absolute_url() + "#goals")
    status = 422 if form.is_bound else 200
    context = {"form": form, "post": goal.year, "goal": goal}
    return render(request, "planner/goal_form.html", context, status=status)


@login_required
@require_POST
def goal_toggle(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id)
    goal.done = not goal.done
    goal.save(update_fields=["done", "done_at"])
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = goal.year.get_absolute_url()
    return redirect(back.split("#")[0] + f"#goal-{goal.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request, goal_id)
    post = goal.year
    if request.method == "POST":
        goal.delete()
        messages.success(request, _("Goal “%(title)s” deleted.") % {"title": goal.title})
        return redirect(post.get_absolute_url() + "#goals")
    context = {"object_label": goal.title, "cancel_url": post.get_absolute_url() + "#goals"}
    return render(request, "planner/confirm_delete.html", context)
