"""Who is asking: a personal access token (`Authorization: Bearer …`), or the site's own
session with its CSRF check on writes. A token's owner becomes `request.user`, so the
permission helpers of planner/permissions.py decide for the API as for the pages.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from planner import ratelimit
from yearloop.addresses import client_address

from .errors import ApiError
from .models import AccessToken

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# How often a token's "last used" is written: reading a list a hundred times a minute
# should not write a hundred times.
LAST_USED_EVERY = 60


# An open route's OpenAPI description: a token, or nothing at all.
OPEN = {"security": [{}]}


class Visitor:
    """Whom an open route answers when nobody is signed in: truthy, unlike no answer."""

    def __bool__(self) -> bool:
        return True


class ApiAuth(HttpBearer):
    """A token or a session; with `open`, nobody at all too (what a visitor may read)."""

    csrf = True  # the docs page then sends the session's CSRF token with "Try it out"

    def __init__(self, *, open: bool = False) -> None:
        super().__init__()
        self.open = open

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if header is not None:
            try:
                token = self.check_token(request, header)
            except ApiError as error:
                if error.status == 401:  # a flood of guesses is slowed down per address
                    limit(
                        request,
                        f"ip-{client_address(request)}",
                        "api-failed",
                        settings.API_FAILED_TOKEN_RATE_LIMITS,
                    )
                raise
            limit(request, f"token-{token.pk}")
            return token
        user = request.user
        if user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise ApiError(
                    403,
                    "csrf",
                    _("A signed-in session must send its CSRF token (X-CSRFToken) to write."),
                )
            limit(request, f"user-{user.pk}")
            return user
        limit(
            request,
            f"ip-{client_address(request)}",
            "api-anonymous",
            settings.API_ANONYMOUS_RATE_LIMITS,
        )
        if self.open:
            return Visitor()
        return None  # 401

    def check_token(self, request: HttpRequest, header: str) -> AccessToken:
        scheme, _space, text = header.partition(" ")
        if scheme.lower() != "bearer":
            raise ApiError(
                401,
                "invalid_token",
                _("Send the token as Authorization: Bearer <token>; %(scheme)s is not taken.")
                % {"scheme": scheme[:20] or _("an empty scheme")},
            )
        token = AccessToken.find(text.strip())
        if token is None or not token.is_live or not token.owner.is_active:
            raise ApiError(401, "invalid_token", self.refusal(token))
        if not request.headers.get("Accept-Language") and token.owner.language:
            # No language asked for: the one the person chose on the site.
            translation.activate(token.owner.language)
            request.LANGUAGE_CODE = token.owner.language
        # "Last used" counts a write refused to a read token too: it shows what holds it.
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() >= LAST_USED_EVERY
        ):
            AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        if request.method not in SAFE_METHODS and not token.may_write:
            raise ApiError(403, "read_only_token", _("This token may only read."))
        request.user = token.owner
        return token

    @staticmethod
    def refusal(token: AccessToken | None) -> str:
        if token is None:
            return _("This access token is not known.")
        if token.revoked_at is not None:
            return _("This access token was revoked.")
        if token.is_expired:
            return _("This access token has expired.")
        return _("This access token's account is closed.")

    def authenticate(self, request: HttpRequest, token: str):  # the schema's half only
        raise NotImplementedError


def limit(request: HttpRequest, who: str, action: str = "api", rates: str | None = None) -> None:
    """Count one request for `who`; over the limit, 429 with Retry-After."""
    wait = ratelimit.wait(action, who, rates or settings.API_RATE_LIMITS)
    if wait:
        error = ApiError(429, "rate_limited", _("Too many requests. Wait a little and try again."))
        error.headers["Retry-After"] = str(wait)
        raise error
