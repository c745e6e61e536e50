"""Changes sent again are applied once: the installed app's offline queue sends each change
with an `Idempotency-Key` header, and may send it more than once (the answer was lost, the
page and the service worker both sent it, the network came back twice).

A keyed POST runs in one transaction that first records the key. If the view refuses the
change (4xx, 5xx), the transaction, record included, is rolled back and the change may be
sent again; if the key is already recorded, the view does not run at all. Two copies sent at
the same moment meet at the unique constraint: the second waits for the first and finds it.

The queue needs to know whether a change was applied, which a redirect followed by fetch()
hides, so a keyed change that succeeds is answered 204 with `Idempotency-Status: applied`
(or `already-applied`).
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .models import AppliedChange

HEADER = "Idempotency-Key"
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}\Z")


class IdempotencyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        # The JSON API keeps its keyed creations itself, answering a retry with what was
        # created (api/writes.py).
        if key is None or request.method != "POST" or request.path.startswith("/api/"):
            return self.get_response(request)
        if not _KEY.match(key):
            return HttpResponse(
                _("This change carries a key that is not valid; it was not saved."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        if not request.user.is_authenticated:
            # Kept in the queue: sent again once the person has logged in.
            return HttpResponse(
                _("Log in again to send this change."),
                status=401,
                content_type="text/plain; charset=utf-8",
            )
        with transaction.atomic():
            try:
                with transaction.atomic():
                    AppliedChange.objects.create(
                        user=request.user, key=key, path=request.path[:500]
                    )
            except IntegrityError:
                return applied("already-applied")
            response = self.get_response(request)
            if response.status_code >= 400:
                transaction.set_rollback(True)
                return response
        return applied("applied")


def applied(status: str) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Idempotency-Status"] = status
    return response
