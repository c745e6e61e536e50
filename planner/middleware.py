"""A request id on every request: in the X-Request-ID header and on every log line."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from django.http import HttpRequest, HttpResponse

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
