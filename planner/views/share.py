"""“Share → Yearloop” from a phone: photos and text into a new entry of the current period.

The share sheet posts to `share_receive` (the Web Share Target in the manifest). Its
photos are kept as a draft of the session (portability/markdown_import/drafts.py: random
folder, that session only, gone after a day) and the text in the session; then the person,
logged in first if need be (the session keeps both across the log-in), sees the new entry
with them, gives it a title and captions, and saves it. Nothing is an entry before that.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portability.markdown_import import drafts
from yearloop.addresses import client_address
from yearloop.http import AuthedRequest

from ..forms import CheckedImageField, SharedEntryForm
from ..models import Period, Photo, Visibility, Year, period_index_for
from ..ratelimit import allow
from .media import serve_stored
from .responses import form_status

SESSION_KEY = "shared_entries"
SHARE_RATES = "10/minute,60/day"


# The share sheet sends no CSRF token (it is the phone, not a page of the site). Nothing is
# created here but a draft of the sender's own session, which only that session can save.
@csrf_exempt
@require_POST
def share_receive(request: HttpRequest) -> HttpResponse:
    if not allow("share", client_address(request), SHARE_RATES):
        return HttpResponse(
            _("Too many shares at once. Wait a minute, then share again."), status=429
        )
    token = drafts.start(request.session)
    kept = 0
    # Said on the new entry's page, not on a log-in page that may come first.
    notes = []
    for number, upload in enumerate(request.FILES.getlist("photos"), start=1):
        if kept == settings.PHOTO_MAX_PER_ENTRY:
            notes.append(_("Only the first %(count)s photos were kept.") % {"count": kept})
            break
        try:
            CheckedImageField().clean(upload)
        except ValidationError as error:
            notes.append(" ".join(error.messages))
            continue
        upload.name = f"{number:02d}-{upload.name}"  # two shared files may share a name
        drafts.add(token, upload)
        kept += 1
    shared = {name: request.POST.get(name, "")[:10_000] for name in ("title", "text", "url")}
    shared["notes"] = notes
    request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), token: shared}
    return redirect("planner:share_entry", token=token)


def _shared(request: HttpRequest, token: str) -> dict:
    if not drafts.is_owned(request.session, token) or token not in request.session.get(
        SESSION_KEY, {}
    ):
        raise Http404
    return request.session[SESSION_KEY][token]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def share_entry(request: AuthedRequest, token: str) -> HttpResponse:
    shared = _shared(request, token)
    photos = drafts.names(token)
    today = timezone.localdate()
    if request.method == "POST":
        entry, form = _save(request, token, photos, today)
        if entry is not None:
            drafts.discard(request.session, token)
            request.session[SESSION_KEY] = {
                kept: value for kept, value in request.session[SESSION_KEY].items() if kept != token
            }
            messages.success(request, _("Entry “%(title)s” added.") % {"title": entry.title})
            return redirect(entry.period)
    else:
        for note in shared.pop("notes", []):
            messages.warning(request, note)
        request.session.modified = True
        period = Period(index=period_index_for(today.month))  # the year may not exist yet
        initial = SharedEntryForm.initial_from(shared)
        form = SharedEntryForm(initial=initial, period=period, photos=photos)
    context = {"form": form, "token": token, "year": today.year}
    return render(request, "planner/share_entry.html", context, status=form_status(form))


def _save(request: AuthedRequest, token: str, photos: list[str], today) -> tuple:
    """The entry and its photos, all or nothing: a form refused or a photo that fails leaves
    no entry, nor the year made for it, behind."""
    with transaction.atomic():
        post, _created = Year.objects.get_or_create(
            owner=request.user, year=today.year, defaults={"visibility": Visibility.PRIVATE}
        )
        period = post.periods.get(index=period_index_for(today.month))
        form = SharedEntryForm(request.POST, period=period, photos=photos)
        if not form.is_valid():
            transaction.set_rollback(True)
            return None, form
        entry = form.save()
        for name in photos:
            upload = drafts.open_file(token, name)
            upload.name = name.partition("-")[2] or name
            Photo.objects.create_from_upload(
                entry,
                CheckedImageField().clean(upload),
                caption=form.cleaned_data[f"caption_{name}"],
                keep_original=request.user.keep_original_photos,
            )
    return entry, form


@login_required
@require_safe
def share_photo(request: AuthedRequest, token: str, name: str) -> HttpResponse:
    """A shared photo as it waits to be saved, to its sender only."""
    _shared(request, token)
    if name not in drafts.names(token):
        raise Http404
    return serve_stored(
        request, f"{drafts.FOLDER}/{token}/{name}", cache_control="private, no-store"
    )
