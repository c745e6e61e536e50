from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User


class AuthedRequest(HttpRequest):
    """A request after our middleware: a signed-in user and htmx details."""

    user: User
    htmx: HtmxDetails
