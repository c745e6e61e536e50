"""How the API writes: through the pages' own forms, and a creation sent again with the same
`Idempotency-Key` answered as the first time, creating nothing twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest, JsonResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import Schema, Status

from planner.idempotency import _KEY, HEADER
from planner.models import AppliedChange

from .errors import ApiError, refused_form
from .models import KeptReply

# A creation's OpenAPI description: the header that makes a retry safe.
KEYED = {
    "parameters": [
        {
            "in": "header",
            "name": HEADER,
            "required": False,
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"},
            "description": (
                "16–64 letters, digits, - or _; new for each change, the same when it is sent "
                "again: a retry answers what the first request answered and creates nothing "
                "twice. Used again with another body or address: 422 idempotency_key_reused."
            ),
        }
    ]
}


def form_data(instance, fields: list[str], changes: dict[str, Any]) -> dict[str, Any]:
    """What a page's form would send for `instance` with `changes` made: a partial change
    keeps every other field as it is."""
    data = {**model_to_dict(instance, fields), **changes}
    return {name: value for name, value in data.items() if value is not None}


def valid(form: forms.BaseForm) -> forms.BaseForm:
    if not form.is_valid():
        raise refused_form(form)
    return form


def created(
    request: HttpRequest, schema: type[Schema], make: Callable[[], Any]
) -> Status | JsonResponse:
    """201 and the new object; with an Idempotency-Key already used for this address, what
    the first request answered, and nothing made."""
    key = request.headers.get(HEADER)
    if key is None:
        return Status(201, make())
    if not _KEY.match(key):
        raise ApiError(
            400,
            "invalid_idempotency_key",
            _("An Idempotency-Key is 16 to 64 letters, digits, “-” or “_”."),
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                change = AppliedChange.objects.create(
                    user=request.user, key=key, path=request.path[:500]
                )
        except IntegrityError:
            return _replayed(request, key)
        made = make()
        body = schema.from_orm(made).model_dump(mode="json")
        KeptReply.objects.create(
            change=change, status=201, body=body, request_hash=fingerprint(request)
        )
    return Status(201, made)


def fingerprint(request: HttpRequest) -> str:
    """SHA-256 of the request's method, address and body (a multipart body by its fields and
    its files' contents, as it is read from the stream only once)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    try:
        digest.update(request.body)
    except RawPostDataException:
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(repr((name, upload.name, upload.size)).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    return digest.hexdigest()


def _replayed(request: HttpRequest, key: str) -> JsonResponse:
    change = AppliedChange.objects.get(user=request.user, key=key)
    kept = KeptReply.objects.filter(change=change).first()
    if kept is None or change.path != request.path[:500]:
        raise ApiError(
            422,
            "idempotency_key_reused",
            _("This Idempotency-Key was already used for another change."),
        )
    if kept.request_hash and kept.request_hash != fingerprint(request):
        raise ApiError(
            422,
            "idempotency_key_reused",
            _(
                "This Idempotency-Key was already used with a different body. "
                "Send a new key for a new change, or the same body to retry."
            ),
        )
    # What the first request answered, even if the object was deleted since: the retry is
    # answered, not done again.
    return JsonResponse(kept.body, status=kept.status)
