"""Comments on shared posts: read a page of threads, write one (or a reply), delete your own
(or, on your post, remove someone's) — with the page's rules and rate limit."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from planner import ratelimit
from planner.forms import CommentForm
from planner.models import Comment
from planner.notifications import notify_of_comment_on_commit
from planner.permissions import get_comment_for, get_year_to_comment
from planner.views.comments import MAX_PAGE, comment_count, comment_page

from ..auth import OPEN, ApiAuth
from ..errors import ApiError
from ..schemas import CommentIn, CommentOut, CommentPage, Id, Username, YearNumber
from ..writes import KEYED, created, valid
from .years import ERRORS

router = Router(tags=["comments"])


@router.get(
    "/users/{username}/years/{year}/comments",
    response={200: CommentPage, **ERRORS},
    auth=ApiAuth(open=True),
    summary="A page of a post's comments",
    openapi_extra=OPEN,
)
def comment_list(
    request: HttpRequest,
    username: Path[Username],
    year: Path[YearNumber],
    page: int = Query(1, ge=1, le=MAX_PAGE),
):
    post = get_year_to_comment(request, username, year)
    threads, more = comment_page(post, page)
    return {"count": comment_count(post), "page": page, "more": more, "threads": threads}


@router.post(
    "/users/{username}/years/{year}/comments",
    response={201: CommentOut, **ERRORS},
    summary="Write a comment or a reply",
    openapi_extra=KEYED,
)
def comment_create(
    request: HttpRequest, username: Path[Username], year: Path[YearNumber], payload: CommentIn
):
    post = get_year_to_comment(request, username, year)

    def make() -> Comment:
        form = valid(CommentForm(payload.model_dump(), post=post, author=request.user))
        wait = ratelimit.wait("comment", request.user.pk, settings.COMMENT_RATE_LIMITS)
        if wait:
            error = ApiError(
                429,
                "rate_limited",
                _("You are commenting very fast. Please wait a little and try again."),
            )
            error.headers["Retry-After"] = str(wait)
            raise error
        comment = form.save()
        notify_of_comment_on_commit(comment)
        return comment

    return created(request, CommentOut, make)


@router.delete(
    "/comments/{comment_id}",
    response={204: None, **ERRORS},
    summary="Delete your comment, or remove one from your post",
)
def comment_delete(request: HttpRequest, comment_id: Path[Id]):
    get_comment_for(request, comment_id, moderate=True).remove(by=request.user)
    return Status(204, None)
