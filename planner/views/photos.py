from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import CaptionForm, EntryForm, PhotoForm
from ..permissions import get_entry_for, get_photo_for
from ..types import AuthedRequest


def _entry_edit_url(entry) -> str:
    return reverse("planner:entry_edit", args=[entry.pk]) + "#photos"


def _entry_page_with_errors(request: AuthedRequest, entry, photo_form: PhotoForm) -> HttpResponse:
    context = {
        "form": EntryForm(instance=entry, period=entry.period),
        "entry": entry,
        "period": entry.period,
        "post": entry.period.year,
        "photo_form": photo_form,
        "photos": entry.photos.all(),
    }
    return render(request, "planner/entry_form.html", context, status=422)


@login_required
@require_POST
def photo_create(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for(request, entry_id)
    photo_form = PhotoForm(request.POST, request.FILES, entry=entry)
    if photo_form.is_valid():
        photo_form.save()
        messages.success(request, _("Photo added."))
        return redirect(_entry_edit_url(entry))
    return _entry_page_with_errors(request, entry, photo_form)


@login_required
@require_POST
def photo_edit(request: AuthedRequest, photo_id: int) -> HttpResponse:
    photo = get_photo_for(request, photo_id)
    form = CaptionForm(request.POST, instance=photo)
    if form.is_valid():
        form.save()
        messages.success(request, _("Caption saved."))
        return redirect(_entry_edit_url(photo.entry))
    messages.error(request, form.errors["caption"][0])
    return _entry_page_with_errors(request, photo.entry, PhotoForm(entry=photo.entry))


@login_required
@require_http_methods(["GET", "POST"])
def photo_delete(request: AuthedRequest, photo_id: int) -> HttpResponse:
    photo = get_photo_for(request, photo_id)
    if request.method == "POST":
        photo.delete()
        messages.success(request, _("Photo deleted."))
        return redirect(_entry_edit_url(photo.entry))
    context = {
        "object_label": photo.caption or _("this photo"),
        "cancel_url": _entry_edit_url(photo.entry),
    }
    return render(request, "planner/confirm_delete.html", context)
