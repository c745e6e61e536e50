"""The answers views share: a fragment for htmx or a redirect, back to the page, refusals.

One view serves the page and its fragment (docs/decisions/server-rendered-pages-and-htmx.md):
these helpers keep the way it answers the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..models import Year


def form_status(form: BaseForm) -> int:
    """422 for submitted input that was refused, 200 for a form shown afresh."""
    return 422 if form.is_bound else 200


def safe_next(request: HttpRequest) -> str:
    """The posted `next` when it is a page of this site, else "" (never an open redirect)."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return ""
    return back.split("#")[0]


def back_url(request: HttpRequest, post: Year, anchor: str = "") -> str:
    """Where a plain form post returns: the page it came from (`next`), else the post."""
    return (safe_next(request) or post.get_absolute_url()) + anchor


def back_to(request: HttpRequest, post: Year, anchor: str = "") -> HttpResponse:
    return redirect(back_url(request, post, anchor))


def fragment_or_redirect(
    request: HttpRequest,
    template: str,
    context: Callable[[], dict],
    to: str,
    status: int = 200,
) -> HttpResponse:
    """htmx gets `template` in place, its `context()` built only then; a plain request goes
    to `to`."""
    response = render(request, template, context(), status=status) if request.htmx else redirect(to)
    # One address, two answers: a cache in between must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def order_refused(
    request: HttpRequest, in_place: Callable[..., HttpResponse], back: str
) -> HttpResponse:
    """A new order refused because the list changed meanwhile: htmx gets the list as it is now
    (`in_place(status=422, reorder_refused=True)`), a plain post a page with a link `back`."""
    if request.htmx:
        return in_place(status=422, reorder_refused=True)
    return render(request, "planner/order_refused.html", {"back_url": back}, status=422)


def privacy_announcement(is_private: bool, title: str) -> str:
    """What a screen reader hears once a goal or an entry is made private or visible."""
    said = (
        _("Only you see “%(title)s” now.")
        if is_private
        else _("“%(title)s” is shown with the post now.")
    )
    return said % {"title": title}
