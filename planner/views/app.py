"""The installable app: its web app manifest and its service worker, both at the site's root."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

LIGHT_BACKGROUND = "#fbfaf7"
THEME = "#2f6f5e"
# The header by which a page tells the service worker to keep it for offline reading.
OFFLINE_COPY = "X-Offline-Copy"


def kept_offline_for_owner(view):
    """Let the installed app keep this page for offline use when it is the signed-in person's
    own (the dashboard, their posts, the forms that write into them); nobody else's page is
    ever kept."""

    @wraps(view)
    def marked(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        me = request.user.get_username()
        own = request.user.is_authenticated and kwargs.get("username", me) == me
        if own and request.method in ("GET", "HEAD") and response.status_code == 200:
            response[OFFLINE_COPY] = "owner"
        return response

    return marked


@require_safe
@vary_on_headers("Cookie", "Accept-Language")
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    """The manifest, in the language of the page that links it."""
    icons = [
        {"src": static("app/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("app/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("app/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": static("icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    data = {
        "id": "/",
        "name": _("Yearloop: look back, plan ahead"),
        "short_name": _("Yearloop"),
        "description": _("Look back on your year, plan the next one, and publish it as a post."),
        "lang": get_language(),
        "dir": "ltr",
        "start_url": reverse("planner:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": LIGHT_BACKGROUND,
        "theme_color": THEME,
        "icons": icons,
        # "Share → Yearloop" on a phone: photos and text into a new entry (views/share.py).
        "share_target": {
            "action": reverse("planner:share_receive"),
            "method": "POST",
            "enctype": "multipart/form-data",
            "params": {
                "title": "title",
                "text": "text",
                "url": "url",
                "files": [{"name": "photos", "accept": ["image/*"]}],
            },
        },
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script, served from the root so that it may look after every page.

    Its text names the hashed static files, so a release with new ones is a new worker,
    which replaces the old one and its cache.
    """
    script = render_to_string("app/service_worker.js")
    version = hashlib.sha256(script.encode()).hexdigest()[:12]
    script = script.replace("__VERSION__", version)
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """The page the installed app shows when a page cannot be fetched."""
    return render(request, "app/offline.html")
