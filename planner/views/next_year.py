"""Setting next year's goals step by step: each unreached goal, then new goals, then the post."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from yearloop.http import AuthedRequest

from ..models import Year
from ..next_year import NewGoalForm, NextYearGoalForm, is_decided, next_year_post, unreached
from ..permissions import MAX_YEAR, get_year_for
from .responses import form_status


def _step_url(post: Year, goal_id: int | None = None) -> str:
    args = [post.owner.username, post.year]
    if goal_id is None:
        return reverse("planner:next_year_new", args=args)
    return reverse("planner:next_year_goal", args=[*args, goal_id])


@login_required
@require_http_methods(["GET", "HEAD"])
def next_year(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    """The first goal still to decide, or the new goals' step when all are decided."""
    post = get_year_for(request, username, year, write=True)
    following = next_year_post(post)
    undecided = (goal for goal in unreached(post) if not is_decided(goal, following))
    goal = next(undecided, None)
    return redirect(_step_url(post, goal.pk if goal else None))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def next_year_goal(request: AuthedRequest, username: str, year: int, goal_id: int) -> HttpResponse:
    post = get_year_for(request, username, year, write=True)
    goals = unreached(post)
    index = next((i for i, goal in enumerate(goals) if goal.pk == goal_id), None)
    if index is None:
        raise Http404
    form = NextYearGoalForm(request.POST if request.method == "POST" else None, goal=goals[index])
    if form.is_valid():
        form.save()
        later = goals[index + 1].pk if index + 1 < len(goals) else None
        return redirect(_step_url(post, later))
    context = {
        "post": post,
        "form": form,
        "goal": goals[index],
        "step": index + 1,
        "steps": len(goals),
        "back_url": _step_url(post, goals[index - 1].pk) if index else post.get_absolute_url(),
    }
    return render(request, "planner/next_year_goal.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def next_year_new(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    """New goals for next year, added one at a time; the page lists next year's goals."""
    post = get_year_for(request, username, year, write=True)
    form = NewGoalForm(request.POST if request.method == "POST" else None, post=post)
    if form.is_valid():
        form.save()
        return redirect(_step_url(post))
    goals = unreached(post)
    following = next_year_post(post)
    context = {
        "post": post,
        "form": form,
        "next_goals": following.goals.all() if following else [],
        "back_url": _step_url(post, goals[-1].pk) if goals else post.get_absolute_url(),
    }
    return render(request, "planner/next_year_new.html", context, status=form_status(form))


@login_required
@require_POST
def next_year_finish(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    """Next year's post, with its goals: created (private) if it does not exist yet."""
    post = get_year_for(request, username, year, write=True)
    if post.year + 1 > MAX_YEAR:
        raise Http404
    following, _created = Year.objects.get_or_create(owner=post.owner, year=post.year + 1)
    return redirect(following.get_absolute_url() + "#goals")
