from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yearloop.http import AuthedRequest

from ..forms import EntryForm, rebased
from ..models import Entry, Period
from ..ordering import move_in_place, reorder
from ..permissions import (
    get_entry_for,
    get_entry_to_read,
    get_period_for,
    login_required_in_place,
)
from ..stats import count_entry_read
from .app import kept_offline_for_owner
from .photos import photo_list_context
from .responses import form_status, fragment_or_redirect, order_refused, privacy_announcement


@require_http_methods(["GET", "HEAD"])
def entry_link(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """A lasting address for an entry (search, "on this day"): counted as read, then shown
    in its place on the post."""
    entry = get_entry_to_read(request, entry_id)
    count_entry_read(request, entry)
    return redirect(f"{entry.period.year.get_absolute_url()}#entry-{entry.pk}")


def _suggest_period_of_photo(request: AuthedRequest, entry: Entry) -> None:
    """Say so when the entry's photo was taken in another period of its year.

    A message with a link to the entry's edit page, where its period can be changed:
    moving an entry the owner has just placed is left to them.
    """
    photo = entry.photos.first()
    taken_in = photo.period_taken_in() if photo else None
    if taken_in is None:
        return
    text = _("This photo was taken in %(taken)s — the entry is in %(period)s.") % {
        "taken": taken_in,
        "period": entry.period.label,
    }
    link = reverse("planner:entry_edit", args=[entry.pk]) + "#id_period"
    messages.info(request, format_html('{} <a href="{}">{}</a>', text, link, _("Move it")))


def period_entries_context(period: Period, **extra) -> dict:
    """What the owner's entries of one period need: the entries and what may be restored."""
    return {
        "post": period.year,
        "owner": period.year.owner,
        "is_owner": True,
        "period": period,
        "entries": list(Entry.objects.filter(period=period).prefetch_related("photos")),
        "deleted_entries": Entry.all_objects.filter(period=period).recently_deleted(),
        **extra,
    }


def period_entries_response(
    request: AuthedRequest, period: Period, status: int = 200, **extra
) -> HttpResponse:
    """htmx gets the period's entries in place; a plain form post goes back to the period."""
    return fragment_or_redirect(
        request,
        "planner/includes/period_entries.html",
        lambda: period_entries_context(period, **extra),
        period.get_absolute_url(),
        status,
    )


def quick_entry_response(
    request: AuthedRequest, period: Period, status: int = 200, **extra
) -> HttpResponse:
    """The dashboard's "New entry" box, after an entry was added to the period or refused."""
    context = {
        "post": period.year,
        "period_index": period.index,
        "period_label": period.label,
        **extra,
    }
    return render(request, "planner/includes/entry_quick_form.html", context, status=status)


@kept_offline_for_owner
@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def entry_create(request: AuthedRequest, username: str, year: int, index: int) -> HttpResponse:
    period = get_period_for(request, username, year, index)
    form = EntryForm(request.POST or None, request.FILES or None, period=period)
    if form.is_valid():
        entry = form.save()
        if request.htmx:
            return quick_entry_response(request, period, added=entry)
        messages.success(request, _("Entry “%(title)s” added.") % {"title": entry.title})
        _suggest_period_of_photo(request, entry)
        return redirect(period)
    if request.htmx and form.is_bound:
        return quick_entry_response(request, period, status=422, quick_form=form)
    context = {"form": form, "period": period, "post": period.year}
    return render(request, "planner/entry_form.html", context, status=form_status(form))


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def entry_edit(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = entry_to_edit(request, entry_id)
    if entry.deleted_at is not None:
        if "restore" not in request.POST:
            return deleted_meanwhile(request, entry)
        entry.restore()
    form = EntryForm(request.POST or None, instance=entry, period=entry.period)
    if form.is_valid() and form.save_checked():
        messages.success(request, _("Entry saved."))
        return redirect(entry.period)
    status, conflicts = form_status(form), form.conflicts
    if conflicts:
        # The entry as it is now becomes the new base; what the person wrote stays in the form.
        entry = get_entry_for(request, entry_id)
        form, status = rebased(EntryForm, request.POST, entry, period=entry.period), 409
    context = {
        "form": form,
        "entry": entry,
        "conflicts": conflicts,
        "period": entry.period,
        "post": entry.period.year,
        **photo_list_context(entry),
    }
    return render(request, "planner/entry_form.html", context, status=status)


def entry_to_edit(request: AuthedRequest, entry_id: int) -> Entry:
    """The entry; for an edit sent after it was deleted (in another tab), the deleted one,
    so that what was written is shown again with a way to keep it."""
    try:
        return get_entry_for(request, entry_id)
    except Http404:
        if request.method != "POST":
            raise
        return get_entry_for(request, entry_id, deleted=True)


def deleted_meanwhile(request: AuthedRequest, entry: Entry) -> HttpResponse:
    """What was written, again, with "Restore and save": nothing is lost to a deletion made
    elsewhere while the form was open."""
    context = {
        "form": EntryForm(request.POST, instance=entry, period=entry.period),
        "entry": entry,
        "deleted_meanwhile": True,
        "period": entry.period,
        "post": entry.period.year,
    }
    return render(request, "planner/entry_form.html", context, status=409)


@login_required_in_place
@require_POST
def entry_move(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for(request, entry_id)
    entries = list(Entry.objects.filter(period=entry.period))
    direction = request.POST.get("direction", "")
    moved = move_in_place(
        entries, entry, direction, "entry-", f"entry-menu-{entry.pk}", entry.title
    )
    return period_entries_response(request, entry.period, **moved)


@login_required_in_place
@require_POST
def entry_reorder(request: AuthedRequest, username: str, year: int, index: int) -> HttpResponse:
    period = get_period_for(request, username, year, index)
    if not reorder(list(Entry.objects.filter(period=period)), request.POST.getlist("order")):
        in_place = partial(period_entries_response, request, period)
        return order_refused(request, in_place, period.get_absolute_url())
    return period_entries_response(request, period)


@login_required_in_place
@require_POST
def entry_privacy(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for(request, entry_id)
    entry.is_private = not entry.is_private
    entry.save(update_fields=["is_private"])
    return period_entries_response(
        request,
        entry.period,
        focus=f"entry-lock-{entry.pk}",
        announce=privacy_announcement(entry.is_private, entry.title),
    )


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def entry_delete(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for(request, entry_id)
    if request.method == "POST":
        entry.soft_delete()
        if not request.htmx:
            messages.success(
                request,
                _("Entry “%(title)s” deleted. You can undo this for a week.")
                % {"title": entry.title},
            )
        return period_entries_response(
            request,
            entry.period,
            focus=f"entry-undo-{entry.pk}",
            announce=_("“%(title)s” deleted. You can undo this.") % {"title": entry.title},
        )
    context = {
        "object_label": entry.title,
        "cancel_url": entry.period.get_absolute_url(),
        "restorable": True,
    }
    return render(request, "planner/confirm_delete.html", context)


@login_required_in_place
@require_POST
def entry_restore(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for(request, entry_id, deleted=True)
    entry.restore()
    if not request.htmx:
        messages.success(request, _("Entry “%(title)s” is back.") % {"title": entry.title})
    return period_entries_response(
        request,
        entry.period,
        focus=f"entry-menu-{entry.pk}",
        announce=_("Entry “%(title)s” is back.") % {"title": entry.title},
    )
