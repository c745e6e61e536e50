"""Every refusal of the API as JSON of one shape, in the requester's language:

    {"error": {"code": "…", "message": "…", "fields": {"field": ["…"]}}}

A conflict adds the stored text and its version (`current`) beside the shape's three keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields or {}
        self.extra = extra
        self.headers: dict[str, str] = {}


def refused_form(form: forms.BaseForm) -> ApiError:
    """A form's errors: the fields' own by name, the others as the message."""
    fields = {
        name: [str(message) for message in errors]
        for name, errors in form.errors.items()
        if name != forms.forms.NON_FIELD_ERRORS
    }
    general = " ".join(str(message) for message in form.non_field_errors())
    return ApiError(422, "invalid", general or _("Some fields are not valid."), fields)


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("There is nothing at this address, or not for you."))


def payload(code: str, message: str, fields: dict | None = None, **extra: Any) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


# What pydantic found wrong with a value, said in the requester's language.
def _messages() -> dict[str, str]:
    return {
        "missing": _("This field is required."),
        "extra_forbidden": _("This field is not one the API knows here."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "date_from_datetime_parsing": _("Enter a valid date."),
        "date_parsing": _("Enter a valid date."),
        "date_type": _("Enter a valid date."),
        "datetime_parsing": _("Enter a valid date and time."),
        "datetime_from_date_parsing": _("Enter a valid date and time."),
        "datetime_type": _("Enter a valid date and time."),
        "decimal_parsing": _("Enter a number."),
        "decimal_type": _("Enter a number."),
        "finite_number": _("Enter a number."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "decimal_max_digits": _("This number is too large."),
        "decimal_whole_digits": _("This number is too large."),
        "string_pattern_mismatch": _("This value is not valid."),
        "string_type": _("Enter text."),
        "list_type": _("Enter a list."),
        "model_attributes_type": _("Send a JSON object."),
        "dict_type": _("Send a JSON object."),
        "literal_error": _("Choose one of the values the API offers."),
        "enum": _("Choose one of the values the API offers."),
        "greater_than_equal": _("This number is too small."),
        "less_than_equal": _("This number is too large."),
        "string_too_long": _("This text is too long."),
        "json_invalid": _("The request body is not valid JSON."),
    }


def _field_name(location: list | tuple) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
        parts = parts[1:]
        # A body or form schema is one parameter (`payload`): its fields are the fields.
        if len(parts) > 1 and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_fields(errors: list[dict]) -> dict[str, list[str]]:
    known = _messages()
    fields: dict[str, list[str]] = {}
    for error in errors:
        message = known.get(error.get("type", ""), _("This value is not valid."))
        fields.setdefault(_field_name(error.get("loc", ())), []).append(message)
    return fields


def install(api: NinjaAPI) -> None:
    """Answer every error the API can meet in the shape above."""

    def answer(request: HttpRequest, status: int, body: dict, headers=None) -> HttpResponse:
        response = api.create_response(request, body, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        body = payload(exc.code, exc.message, exc.fields, **exc.extra)
        headers = dict(exc.headers)
        if exc.status == 401:
            headers.setdefault("WWW-Authenticate", f'Bearer error="{exc.code}"')
        return answer(request, exc.status, body, headers)

    def validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        if exc.errors and all(tuple(e.get("loc", ()))[:1] == ("path",) for e in exc.errors):
            # An id, year, index or name no address can have: nothing there.
            return api_error(request, not_found())
        fields = _validation_fields(exc.errors)
        if "body" in fields and any(e.get("type") == "json_invalid" for e in exc.errors):
            message = _("The request body is not valid JSON.")
        else:
            message = _("Some fields are not valid.")
        return answer(request, 422, payload("invalid", message, fields))

    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api_error(request, not_found())

    def denied(request: HttpRequest, exc: Exception) -> HttpResponse:
        return answer(request, 403, payload("forbidden", _("You may not do this.")))

    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = _("Send a valid access token: Authorization: Bearer <token>.")
        return answer(
            request, 401, payload("unauthenticated", message), {"WWW-Authenticate": "Bearer"}
        )

    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        message = _("Too many requests. Wait a little and try again.")
        return answer(request, 429, payload("rate_limited", message))

    def too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        return answer(request, 413, payload("too_large", _("The request is too large.")))

    def suspicious(request: HttpRequest, exc: Exception) -> HttpResponse:
        return answer(request, 400, payload("bad_request", _("The request is not valid.")))

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # ninja's own: a body it could not read
            message = _("The request body could not be read.")
        else:
            message = _("The request is not valid.")
        return answer(request, exc.status_code, payload("bad_request", message))

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(NinjaValidationError, validation)
    api.add_exception_handler(Http404, missing)
    api.add_exception_handler(PermissionDenied, denied)
    api.add_exception_handler(AuthorizationError, denied)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(RequestDataTooBig, too_big)
    api.add_exception_handler(SuspiciousOperation, suspicious)
    api.add_exception_handler(HttpError, http_error)
