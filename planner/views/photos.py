"""An entry's photos, managed in place on its edit page: upload, caption, order, delete.

Every action answers htmx with the photo list (`planner/includes/photo_list.html`) and a plain
form post with a redirect back to the entry's photos.
"""

from __future__ import annotations

import time
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from yearloop.http import AuthedRequest

from ..forms import CaptionForm, EntryForm, PhotoUploadForm
from ..models import Entry
from ..ordering import move_in_place, reorder
from ..permissions import get_entry_for, get_photo_for, login_required_in_place
from .responses import fragment_or_redirect, order_refused


def _entry_edit_url(entry: Entry) -> str:
    return reverse("planner:entry_edit", args=[entry.pk]) + "#photos"


def photo_list_context(entry: Entry, **extra) -> dict:
    """What the entry's photo list and its upload form need. `read_at` (microseconds, taken
    before the photos are read) lets the page keep a list read later than one that arrives
    after it (static/js/upload.js)."""
    read_at = time.time_ns() // 1000
    return {
        "entry": entry,
        "read_at": read_at,
        "photos": list(entry.photos.all()),
        "max_photos": settings.PHOTO_MAX_PER_ENTRY,
        "max_photo_bytes": settings.PHOTO_MAX_BYTES,
        **extra,
    }


def photo_list_response(
    request: AuthedRequest, entry: Entry, status: int = 200, **extra
) -> HttpResponse:
    """htmx gets the photo list in place; a plain form post goes back to the entry's photos."""
    return fragment_or_redirect(
        request,
        "planner/includes/photo_list.html",
        lambda: photo_list_context(entry, **extra),
        _entry_edit_url(entry),
        status,
    )


def _entry_page_refusing(request: AuthedRequest, entry: Entry, **extra) -> HttpResponse:
    """The entry's edit page again, with what was refused shown in the photo list."""
    context = {
        "form": EntryForm(instance=entry, period=entry.period),
        "period": entry.period,
        "post": entry.period.year,
        **photo_list_context(entry, **extra),
    }
    return render(request, "planner/entry_form.html", context, status=422)


@login_required_in_place
@require_POST
def photo_create(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for(request, entry_id)
    form = PhotoUploadForm(request.POST, request.FILES, entry=entry)
    added = form.save() if form.is_valid() else []
    if added and not request.htmx:
        count = len(added)
        messages.success(
            request,
            ngettext("%(count)d photo added.", "%(count)d photos added.", count) % {"count": count},
        )
    if form.is_valid() and not form.refused:
        response = photo_list_response(request, entry)
        # Which photos this upload made, for the page's script to put their captions and
        # their order right.
        response["X-Photo-Ids"] = ",".join(str(photo.pk) for photo in added)
        return response
    errors = [*form.errors.get("images", []), *form.errors.get("caption", [])]
    refusals = {"refused": form.refused, "upload_errors": errors}
    if request.htmx:
        return photo_list_response(request, entry, status=422, **refusals)
    return _entry_page_refusing(request, entry, **refusals)


@login_required_in_place
@require_POST
def photo_edit(request: AuthedRequest, photo_id: int) -> HttpResponse:
    photo = get_photo_for(request, photo_id)
    form = CaptionForm(request.POST, instance=photo)
    if form.is_valid():
        form.save(commit=False).save(update_fields=["caption"])
        if not request.htmx:
            messages.success(request, _("Caption saved."))
        return photo_list_response(request, photo.entry, saved=photo.pk)
    if request.htmx:
        return photo_list_response(request, photo.entry, status=422, caption_form=form)
    return _entry_page_refusing(request, photo.entry, caption_form=form)


@login_required_in_place
@require_POST
def photo_move(request: AuthedRequest, photo_id: int) -> HttpResponse:
    photo = get_photo_for(request, photo_id)
    photos = list(photo.entry.photos.all())
    direction = request.POST.get("direction", "")
    title = photo.caption or photo.entry.title
    moved = move_in_place(photos, photo, direction, "photo-", f"caption-{photo.pk}", title)
    return photo_list_response(request, photo.entry, **moved)


@login_required_in_place
@require_POST
def photo_reorder(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for(request, entry_id)
    if not reorder(list(entry.photos.all()), request.POST.getlist("order")):
        in_place = partial(photo_list_response, request, entry)
        return order_refused(request, in_place, _entry_edit_url(entry))
    return photo_list_response(request, entry)


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def photo_delete(request: AuthedRequest, photo_id: int) -> HttpResponse:
    photo = get_photo_for(request, photo_id)
    if request.method == "POST":
        photo.delete()  # its files go once the transaction commits (planner/signals.py)
        if not request.htmx:
            messages.success(request, _("Photo deleted."))
        return photo_list_response(request, photo.entry, just_deleted=True)
    context = {
        "object_label": photo.caption or _("this photo"),
        "cancel_url": _entry_edit_url(photo.entry),
    }
    return render(request, "planner/confirm_delete.html", context)
