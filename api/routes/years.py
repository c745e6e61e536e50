"""The person's own years: list, read, create, change; and their long texts, each saved only
if it is still the version the change was based on."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router

from planner.forms import YearCreateForm, YearForm
from planner.models import Year
from planner.permissions import get_period_for, get_year_for
from planner.texts import PostText, TextForm

from ..errors import ApiError, refused_form
from ..schemas import (
    ErrorOut,
    TextChange,
    TextName,
    TextOut,
    YearChange,
    YearCreate,
    YearListItem,
    YearNumber,
    YearOut,
)
from ..writes import KEYED, created, form_data, valid

router = Router(tags=["years"])
ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 409, 413, 415, 422, 429)}


def own_year(request: HttpRequest, year: int) -> Year:
    return get_year_for(request, request.user.username, year, write=True)


@router.get("/years", response={200: list[YearListItem], **ERRORS}, summary="Your years")
def year_list(request: HttpRequest):
    return Year.objects.filter(owner_id=request.user.pk).select_related("owner").order_by("-year")


@router.post(
    "/years", response={201: YearOut, **ERRORS}, summary="Start a year", openapi_extra=KEYED
)
def year_create(request: HttpRequest, payload: YearCreate):
    def make() -> Year:
        form = valid(YearCreateForm(payload.model_dump(), owner=request.user))
        return form.save()

    return created(request, YearOut, make)


@router.get("/years/{year}", response={200: YearOut, **ERRORS}, summary="One of your years")
def year_read(request: HttpRequest, year: Path[YearNumber]):
    return own_year(request, year)


@router.patch(
    "/years/{year}", response={200: YearOut, **ERRORS}, summary="Change title or visibility"
)
def year_change(request: HttpRequest, year: Path[YearNumber], payload: YearChange):
    post = own_year(request, year)
    changes = payload.model_dump(exclude_unset=True)
    data = form_data(post, ["title", "visibility"], changes)
    valid(YearForm(data, instance=post)).save()
    return post


@router.put(
    "/years/{year}/texts/{name}",
    response={200: TextOut, **ERRORS},
    summary="Write the intro, the overall retrospective or a period's retrospective",
    description=(
        "Send the `version` the text "
        "was based on; if the text changed since, nothing is saved and the answer is 409 with "
        "the stored text and its version in `error.current`."
    ),
)
def text_write(
    request: HttpRequest, year: Path[YearNumber], name: Path[TextName], payload: TextChange
):
    if name.startswith("period-"):
        period = get_period_for(request, request.user.username, year, int(name[-1]))
        text = PostText(period, "retrospective")
    else:
        text = PostText(own_year(request, year), name)
    form = TextForm({"text": payload.text, "base": payload.version}, text=text)
    if form.is_valid() and form.save():
        return {"text": text.value, "version": text.version}
    if form.conflict is not None:
        raise ApiError(
            409,
            "conflict",
            _("Changed elsewhere since you started."),
            current=TextOut(text=form.conflict, version=text.version).model_dump(),
            sent={"text": payload.text, "version": payload.version},
        )
    error = refused_form(form)
    if "base" in error.fields:  # the page's hidden field is the API's `version`
        error.fields["version"] = error.fields.pop("base")
    raise error
