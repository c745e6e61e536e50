"""The answer to a request Django refuses before any view sees it."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template import loader


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, or 413 with what to do when the request was too large (a huge paste, a page
    copied with its pictures inside). Rendered without the request: reading its body again
    would fail again."""
    too_big = isinstance(exception, RequestDataTooBig)
    html = loader.get_template("400.html").render({"too_big": too_big})
    return HttpResponse(html, status=413 if too_big else 400)
