from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import EntryForm, PeriodForm, PhotoForm
from ..permissions import get_entry_for, get_period_for
from ..types import AuthedRequest


def _period_url(period) -> str:
    return period.year.get_absolute_url() + f"#period-{period.index}"


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request: AuthedRequest, username: str, year: int, index: int) -> HttpResponse:
    period = get_period_for(request, username, year, index)
    form = PeriodForm(request.POST or None, instance=period)
    if form.is_valid():
        form.save()
        messages.success(request, _("Retrospective saved."))
        return redirect(_period_url(period))
    status = 422 if form.is_bound else 200
    context = {"form": form, "period": period, "post": period.year}
    return render(request, "planner/period_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: AuthedRequest, username: str, year: int, index: int) -> HttpResponse:
    period = get_period_for(request, username, year, index)
    form = EntryForm(request.POST or None, request.FILES or None, period=period)
    if form.is_valid():
        entry = form.save()
        messages.success(request, _("Entry “%(title)s” added.") % {"title": entry.title})
        return redirect(_period_url(period))
    status = 422 if form.is_bound else 200
    context = {"form": form, "period": period, "post": period.year}
    return render(request, "planner/entry_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for(request, entry_id)
    form = EntryForm(request.POST or None, instance=entry, period=entry.period)
    if form.is_valid():
        form.save()
        messages.success(request, _("Entry saved."))
        return redirect(_period_url(entry.period))
    status = 422 if form.is_bound else 200
    context = {
        "form": form,
        "entry": entry,
        "period": entry.period,
        "post": entry.period.year,
        "photo_form": PhotoForm(entry=entry),
        "photos": entry.photos.all(),
    }
    return render(request, "planner/entry_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for(request, entry_id)
    if request.method == "POST":
        entry.delete()
        messages.success(request, _("Entry “%(title)s” deleted.") % {"title": entry.title})
        return redirect(_period_url(entry.period))
    context = {"object_label": entry.title, "cancel_url": _period_url(entry.period)}
    return render(request, "planner/confirm_delete.html", context)
