"""Others' shared years, exactly as a visitor sees them: whoever asks, private goals and
entries are left out, and only public years are listed (an unlisted one is read by its
address only)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Path, Router

from planner.models import Year
from planner.permissions import get_active_user, get_year_for
from planner.post_page import prefetch_post

from ..auth import OPEN, ApiAuth
from ..schemas import PublicYearOut, Username, YearListItem, YearNumber
from .years import ERRORS

router = Router(tags=["public"], auth=ApiAuth(open=True))


class AsVisitor:
    """A request as a visitor makes it, for the permission helpers."""

    user = AnonymousUser()


@router.get(
    "/users/{username}/years",
    response={200: list[YearListItem], **ERRORS},
    summary="Someone's public years",
    openapi_extra=OPEN,
)
def public_year_list(request: HttpRequest, username: Path[Username]):
    owner = get_active_user(username)
    years = Year.objects.listed_for(AnonymousUser(), owner).select_related("owner")
    return list(years.order_by("-year"))


@router.get(
    "/users/{username}/years/{year}",
    response={200: PublicYearOut, **ERRORS},
    summary="A shared year as a visitor reads it",
    openapi_extra=OPEN,
)
def public_year_read(request: HttpRequest, username: Path[Username], year: Path[YearNumber]):
    post = get_year_for(AsVisitor(), username, year)
    prefetch_post(post, AnonymousUser(), with_answers=False)
    return post
