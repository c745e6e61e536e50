"""The JSON API, version 1, under /api/v1/: its routers, authentication and error shape.

Documented at /api/v1/docs (Swagger UI served from this site's own static files, so it runs
under the site's CSP) and described by the OpenAPI 3 schema at /api/v1/openapi.json.
"""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger

from . import errors
from .auth import ApiAuth
from .routes import comments, entries, goals, photos, public, years

api = NinjaAPI(
    title="Yearloop API",
    version="1",
    description=(
        "Your years, goals, progress, entries, photos and comments, and others' shared years. "
        "Send a personal access token (profile settings → Access tokens) as "
        "`Authorization: Bearer <token>`. Every error is "
        '`{"error": {"code": …, "message": …, "fields": {…}}}`. See docs/api.md.'
    ),
    auth=ApiAuth(),
    urls_namespace="api-v1",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

for module in (years, goals, entries, photos, comments, public):
    api.add_router("", module.router)


def _json_405(view):
    """The library answers a method a route does not take in plain text: JSON like the rest.
    A body of a type the API does not read is refused first (415)."""

    @wraps(view)
    def answering(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refused = _unsupported_body(request)
        if refused is not None:
            return refused
        head = request.method == "HEAD"
        if head:  # answered as GET, without the body
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if head:
            request.method = "HEAD"
        if isinstance(response, HttpResponseNotAllowed):
            message = _("This address does not take %(method)s.") % {"method": request.method}
            allowed = [method.strip() for method in response["Allow"].split(",")]
            if "GET" in allowed and "HEAD" not in allowed:
                allowed.append("HEAD")
            response = JsonResponse(errors.payload("method_not_allowed", message), status=405)
            response["Allow"] = ", ".join(allowed)
        if head and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response

    return answering


# What a body may be: JSON, or a form with files (photos). Another type is not guessed at.
BODY_TYPES = ("application/json", "multipart/form-data")


def _unsupported_body(request: HttpRequest) -> HttpResponse | None:
    """415 for a POST, PUT or PATCH whose body is not of a type the API reads."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    content_type = request.content_type or ""
    if content_type in BODY_TYPES or content_type.endswith("+json"):
        return None
    if not content_type and not request.headers.get("Content-Length", "0").strip("0"):
        return None  # no body at all: the route says what is missing
    message = _("Send the body as application/json (a photo as multipart/form-data).")
    return JsonResponse(errors.payload("unsupported_media_type", message), status=415)


def urls() -> tuple:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name == "api-root":  # the library's own is an HTML 404
            pattern.callback = index
        pattern.callback = _json_405(pattern.callback)
    return patterns, app_name, namespace


@csrf_exempt
def index(request: HttpRequest) -> HttpResponse:
    """/api/v1/ itself: where the reference and the schema are."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return JsonResponse({"version": "1", "docs": "/api/v1/docs", "openapi": "/api/v1/openapi.json"})


# It changes nothing, so it needs no CSRF check: an unsafe request to an unknown address
# gets the same JSON 404 as a GET, not the pages' HTML 403.
@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other address under /api/: 404 in the API's shape."""
    return JsonResponse(errors.payload("not_found", str(errors.not_found().message)), status=404)
