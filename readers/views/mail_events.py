"""The mail provider's bounce and complaint notifications (readers/mail_events.py)."""

from __future__ import annotations

import base64
import binascii
import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..mail_events import UnknownEvent, stops_in
from ..models import Subscription


# A machine posts here, with the shared secret instead of a session and a CSRF token.
@csrf_exempt
@require_POST
def mail_events(request: HttpRequest) -> HttpResponse:
    if not settings.MAIL_EVENTS_SECRET:
        raise Http404
    if not _authorized(request, settings.MAIL_EVENTS_SECRET):
        response = _plain("This address takes the mail provider's notifications only.", 401)
        response["WWW-Authenticate"] = 'Basic realm="mail events"'
        return response
    try:
        stops = stops_in(json.loads(request.body))
    except (ValueError, UnknownEvent):
        return _plain("Not a bounce or complaint notification this site reads.", 400)
    stopped = sum(Subscription.objects.stop(email, reason) for email, reason in stops)
    return JsonResponse({"stopped": stopped})


def _authorized(request: HttpRequest, secret: str) -> bool:
    scheme, _space, credentials = request.headers.get("Authorization", "").partition(" ")
    given = ""
    if scheme.lower() == "bearer":
        given = credentials.strip()
    elif scheme.lower() == "basic":
        try:
            given = base64.b64decode(credentials, validate=True).decode().partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            return False
    return bool(given) and hmac.compare_digest(given.encode(), secret.encode())


def _plain(text: str, status: int) -> HttpResponse:
    # For the provider's logs, not for people: left in English.
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
