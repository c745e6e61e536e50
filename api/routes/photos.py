"""Photos of the person's entries, uploaded as multipart form data through the pages' image
pipeline and limits (planner/images.py, PHOTO_* settings)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import File, Form, Path, Router, Status, UploadedFile

from planner.forms import CaptionForm, PhotoUploadForm
from planner.models import Photo
from planner.permissions import get_entry_for, get_photo_for

from ..errors import ApiError, refused_form
from ..schemas import CaptionChange, Id, PhotoOut
from ..writes import KEYED, created, valid
from .years import ERRORS

router = Router(tags=["photos"])


@router.post(
    "/entries/{entry_id}/photos",
    response={201: PhotoOut, **ERRORS},
    summary="Add a photo to an entry",
    description=(
        "multipart/form-data with `image` (JPEG, PNG, WebP, HEIC…) and an optional `caption`."
    ),
    openapi_extra=KEYED,
)
def photo_create(
    request: HttpRequest,
    entry_id: Path[Id],
    image: File[UploadedFile],
    caption: Form[str] = "",
):
    entry = get_entry_for(request, entry_id)

    def make() -> Photo:
        form = PhotoUploadForm(
            {"caption": caption}, MultiValueDict({"images": [image]}), entry=entry
        )
        if not form.is_valid():
            raise refused_form(form)
        photos = form.save()
        if form.refused:
            _name, reason = form.refused[0]
            raise ApiError(422, "invalid", reason, {"image": [reason]})
        return photos[0]

    return created(request, PhotoOut, make)


@router.patch("/photos/{photo_id}", response={200: PhotoOut, **ERRORS}, summary="Change a caption")
def photo_change(request: HttpRequest, photo_id: Path[Id], payload: CaptionChange):
    photo = get_photo_for(request, photo_id)
    valid(CaptionForm(payload.model_dump(), instance=photo)).save(commit=False).save(
        update_fields=["caption"]
    )
    return photo


@router.delete("/photos/{photo_id}", response={204: None, **ERRORS}, summary="Delete a photo")
def photo_delete(request: HttpRequest, photo_id: Path[Id]):
    get_photo_for(request, photo_id).delete()  # its files go once the transaction commits
    return Status(204, None)
