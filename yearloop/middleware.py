"""Request-wide behaviour: a request id on every request and log line; HTTP caching; a full
media disk answered with a page that says so."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware import http
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import parse_http_date_safe, split_directive_names
from django.utils.translation import gettext as _

from .storage import is_storage_full

logger = logging.getLogger(__name__)

_request_id = contextvars.ContextVar("request_id", default="-")
# Taken from a proxy in front when it sends one that looks like an id, never anything else.
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}\Z")


class RequestIdMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        request.id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's, for HEAD as for GET: the same ETag on both, and 304 to either.

    Django leaves HEAD out because some servers drop its body before middleware runs; under
    WSGI the body is still whole here (gunicorn drops it afterwards), so the hash is right.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return response
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        if etag or last_modified:
            return get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        return response


class PrivateCacheMiddleware:
    """A response to someone with a session is theirs alone and not stored:
    `Cache-Control: private, no-store`. Going back to a page changed in place since (a
    goal ticked, a writer unfollowed) then shows it as it is, not as first loaded; its
    masked CSRF token made every copy new bytes anyway, so no revalidation is lost.

    Views that say how they may be cached (`public` photos, `no-store` archives, Django's
    `never_cache` auth pages, the calendar feed's few minutes) keep what they said.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if has_session(request):
            directives = set(split_directive_names(response.get("Cache-Control", "")))
            if not directives & {"public", "private", "no-store"}:
                patch_cache_control(response, private=True, no_store=True)
        return response


def has_session(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return bool(user and user.is_authenticated) or bool(session and not session.is_empty())


class StorageFullMiddleware:
    """An upload refused for want of room (ENOSPC, EDQUOT) anywhere in a view: 507 and a
    message in the person's language instead of a server error, and a log line for the
    operator. Nothing of it is kept: the view's transaction has rolled back, and the
    storage removed what it had written (yearloop/storage.py,
    `Photo.objects.create_from_upload`)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_storage_full(exception):
            return None
        logger.error("No room to store an upload (%s): %s", request.path, exception)
        if getattr(request, "htmx", False):
            # The upload script shows this beside the file's name.
            message = _("Not added: the site has no room to store files right now. Try later.")
            return HttpResponse(message, status=507, content_type="text/plain; charset=utf-8")
        return render(request, "507.html", status=507)


class OfflineOwnerMiddleware:
    """Names on every answer who is signed in (`X-Offline-Owner`: a user's id, "-" for
    nobody), so that the installed app's service worker drops the pages it kept for someone
    else as soon as another person, or nobody, is signed in (templates/app/service_worker.js).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        response["X-Offline-Owner"] = f"u{user.pk}" if signed_in else "-"
        if request.headers.get("X-Keep-Offline") and settings.CSRF_COOKIE_NAME in request.COOKIES:
            # A page fetched in the background to be kept leaves the CSRF cookie alone: an
            # answer arriving after a log-in (which rotates it) would put the old one back,
            # and the next form sent would be refused.
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        return response
