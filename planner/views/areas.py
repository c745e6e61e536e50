"""A person's life areas: listed, added, renamed, moved and removed on a page of their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yearloop.http import AuthedRequest

from ..forms import AreaForm
from ..models import Area
from ..ordering import move
from ..permissions import get_area_for
from .responses import form_status


def area_list_response(request: AuthedRequest, *, status: int = 200, **forms) -> HttpResponse:
    """The page of areas, each with how many goals and entries it holds; `forms` are the
    refused ones to show with their errors (`add`, or `rename` with its area's id)."""
    live = {
        "goal_count": ("goals", Q(goals__deleted_at__isnull=True)),
        "entry_count": ("entries", Q(entries__deleted_at__isnull=True)),
    }
    areas = (
        Area.objects.filter(owner=request.user)
        .annotate(
            **{
                name: Count(path, filter=alive, distinct=True)
                for name, (path, alive) in live.items()
            }
        )
        .order_by("order", "id")  # Meta.ordering does not apply to a GROUP BY query
    )
    context = {
        "areas": areas,
        "add_form": forms.get("add") or AreaForm(owner=request.user, prefix="new"),
        "refused": forms.get("rename"),
    }
    return render(request, "planner/area_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def area_list(request: AuthedRequest) -> HttpResponse:
    Area.objects.ensure_defaults(request.user)
    if request.method != "POST":
        return area_list_response(request)
    form = AreaForm(request.POST, owner=request.user, prefix="new")
    if not form.is_valid():
        return area_list_response(request, status=form_status(form), add=form)
    area = form.save()
    messages.success(request, _("“%(name)s” added.") % {"name": area.label})
    return redirect("planner:areas")


@login_required
@require_POST
def area_rename(request: AuthedRequest, area_id: int) -> HttpResponse:
    area = get_area_for(request, area_id)
    form = AreaForm(request.POST, instance=area, owner=request.user, prefix=f"area-{area.pk}")
    if not form.is_valid():
        return area_list_response(request, status=422, rename=form)
    form.save()
    messages.success(request, _("Saved."))
    return redirect("planner:areas")


@login_required
@require_POST
def area_move(request: AuthedRequest, area_id: int) -> HttpResponse:
    area = get_area_for(request, area_id)
    move(list(Area.objects.filter(owner=request.user)), area, request.POST.get("direction", ""))
    return redirect("planner:areas")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def area_delete(request: AuthedRequest, area_id: int) -> HttpResponse:
    area = get_area_for(request, area_id)
    if request.method == "POST":
        area.delete()  # its goals and entries stay, without an area
        messages.success(request, _("“%(name)s” removed.") % {"name": area.label})
        return redirect("planner:areas")
    context = {
        "area": area,
        "goal_count": area.goals.count(),
        "entry_count": area.entries.count(),
    }
    return render(request, "planner/area_delete.html", context)
