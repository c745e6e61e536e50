"""The access tokens page of the profile settings: create one (its secret shown once), see
when each was last used, revoke."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from planner.tasks import queue_email
from yearloop.http import AuthedRequest

from .forms import AccessTokenForm
from .models import AccessToken

# Where a new token's secret waits, in the session, for the one page that shows it.
NEW_SECRET = "api_new_token"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: AuthedRequest) -> HttpResponse:
    form = AccessTokenForm(request.POST or None, owner=request.user)
    if form.is_bound:
        if form.is_valid():
            token, secret = form.save()
            tell_of_new_token(request, token)
            # Shown after the redirect, so that reloading the page makes no second token.
            request.session[NEW_SECRET] = {"id": token.pk, "secret": secret}
            return redirect("api:tokens")
        status = 422
    else:
        status = 200
    new = request.session.pop(NEW_SECRET, None) if request.method == "GET" else None
    context = {
        "form": form,
        "secret": new["secret"] if new else None,
        "new_token_id": new["id"] if new else None,
        "tokens": AccessToken.objects.filter(owner=request.user),
    }
    response = render(request, "api/token_list.html", context, status=status)
    if new:
        response["Cache-Control"] = "no-store"  # the secret is shown once, and kept nowhere
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    """Asks first (a page of its own, so it works without JavaScript), then revokes."""
    token = get_object_or_404(AccessToken, pk=token_id, owner=request.user, revoked_at=None)
    if request.method != "POST":
        return render(request, "api/token_revoke.html", {"token": token})
    token.revoke()
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")


def tell_of_new_token(request: AuthedRequest, token: AccessToken) -> None:
    """Mail the owner that a token was created, so one made by someone else is noticed."""
    owner = request.user
    if not owner.email:
        return
    with translation.override(owner.mail_language):
        subject = _("A new access token for your Yearloop account")
        text = _(
            "A token for the API, “%(name)s” (%(scope)s), was created for your account "
            "%(username)s.\n\n"
            "If it was not you, revoke it and change your password: %(url)s\n"
        ) % {
            "name": token.name,
            "scope": token.get_scope_display(),
            "username": owner.username,
            "url": settings.SITE_URL.rstrip("/") + reverse("api:tokens"),
        }
    queue_email(to=[owner.email], subject=subject, text=text)
