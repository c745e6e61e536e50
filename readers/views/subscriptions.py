"""Subscribing to a writer by e-mail: the form, the confirmation link, unsubscribing.

Visitors subscribe as well as signed-in people, from pages kept whole for visitors
(planner/page_cache.py) that carry no CSRF token. Asking to subscribe acts on no session
and no account: it only sends the typed address a link to confirm, limited per address
and per client. So it is exempt from the CSRF check for visitors, as the language menu is;
a signed-in person's request is checked. Unsubscribing follows RFC 8058: a POST from a
mail program, without cookies or token, to the link's secret address.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from accounts.models import User
from planner.permissions import get_active_user
from planner.ratelimit import allow
from planner.views.responses import safe_next
from yearloop.addresses import client_address

from .. import subscriptions
from ..forms import SubscribeForm
from ..models import Subscription


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest, username: str) -> HttpResponse:
    """The form alone (also where a refused address is shown again), and its answer: back to
    the page the form was sent from (`next`, the post) or, without one, this page."""
    writer = get_active_user(username)
    if request.method == "POST" and request.user.is_authenticated:
        return csrf_protect(_subscribe)(request, writer)
    return _subscribe(request, writer)


def _subscribe(request: HttpRequest, writer: User) -> HttpResponse:
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return _subscribe_page(request, writer, form)
    if not form.is_valid():
        return _subscribe_page(request, writer, form, 422)
    email = form.cleaned_data["email"]
    if not (
        allow("subscribe-ip", client_address(request), settings.SUBSCRIBE_RATE_LIMITS_PER_IP)
        and allow(
            "subscribe-address",
            subscriptions.rate_key(email),
            settings.SUBSCRIBE_RATE_LIMITS_PER_ADDRESS,
        )
    ):
        form.add_error(
            None,
            _("Too many requests to subscribe from here or for this address. Try again later."),
        )
        return _subscribe_page(request, writer, form, 429)
    subscriptions.request_subscription(writer, email, get_language())
    # The same words whether the address subscribed already or not.
    messages.success(
        request,
        _(
            "Thank you. Unless %(email)s already gets these mails, a mail with a link to "
            "confirm is on its way to it: the subscription starts once that link is followed."
        )
        % {"email": email},
    )
    return redirect(safe_next(request) or reverse("readers:subscribe", args=[writer.username]))


def _subscribe_page(
    request: HttpRequest, writer: User, form: SubscribeForm, status: int = 200
) -> HttpResponse:
    # A refused address is shown here; asking again still goes back to the post.
    context = {"writer": writer, "form": form, "back": safe_next(request)}
    return render(request, "readers/subscribe.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def subscription_confirm(request: HttpRequest, username: str, token: str) -> HttpResponse:
    """A page with a button (mail scanners open links; only a person's POST confirms)."""
    writer = get_active_user(username)
    try:
        subscription = subscriptions.subscription_to_confirm(writer, token)
    except subscriptions.LinkExpired:
        return _link_refused(request, writer, expired=True)
    if subscription is None:
        return _link_refused(request, writer, expired=False)
    if request.method == "POST":
        subscriptions.confirm(subscription)
        return redirect("readers:subscription_confirm", writer.username, token)
    context = {"writer": writer, "subscription": subscription}
    return render(request, "readers/subscription_confirm.html", context)


def _link_refused(request: HttpRequest, writer: User, *, expired: bool) -> HttpResponse:
    context = {"writer": writer, "form": SubscribeForm(), "expired": expired}
    return render(
        request, "readers/subscription_link_refused.html", context, status=410 if expired else 404
    )


# RFC 8058: the mail program posts "List-Unsubscribe=One-Click" with no cookie and no token.
# The key in the address is the proof; a GET changes nothing (scanners follow links).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, key: str) -> HttpResponse:
    subscription = Subscription.objects.select_related("writer").filter(unsubscribe_key=key).first()
    if subscription is None:
        return render(request, "readers/unsubscribe.html", {"unknown": True}, status=404)
    if request.method == "POST":
        subscriptions.unsubscribe(subscription)
    context = {"subscription": subscription, "writer": subscription.writer}
    return render(request, "readers/unsubscribe.html", context)
