"""Comments on a post: write, reply, edit, delete or remove, pin, close; all in place and
without JS.

The post shows the first page of threads (`comments_context`), the pinned one first; every
action answers htmx with the piece it changed — the thread, or the whole comments section
for a new thread or a pin — and both comment counts out of band, and a plain form post with
a redirect to the comment. No reply box is rendered with the threads: "Reply" fetches one
(`comment_reply`), in place or as a page of its own.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db.models import Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import retarget

from yearloop.http import AuthedRequest

from .. import post_cache, ratelimit
from ..forms import CommentEditForm, CommentForm
from ..markdown import render_plain_text
from ..models import Comment, Year
from ..notifications import notify_of_comment_on_commit
from ..permissions import (
    get_comment_for,
    get_comment_to_pin,
    get_comment_to_read,
    get_year_for,
    get_year_to_comment,
    login_required_in_place,
)
from .responses import back_to, form_status, fragment_or_redirect

THREADS_PER_PAGE = 50
MAX_PAGE = 999_999  # far beyond any post's comments, and an offset every database takes


def page_number(request: HttpRequest) -> int:
    try:
        return min(max(1, int(request.GET.get("comments_page", "1"))), MAX_PAGE)
    except ValueError:
        return 1


def comment_page(post: Year, page: int) -> tuple[list[Comment], bool]:
    """One page of a post's threads with their replies, and whether more follow.

    Two queries whatever the number of comments: the replies are fetched through a
    subquery of the page, so there is a query for them even when the page is empty.
    """
    start = (page - 1) * THREADS_PER_PAGE
    shown = Comment.objects.filter(year=post).threads().shown().in_post_order()
    return with_replies(shown[start : start + THREADS_PER_PAGE + 1])


def comment_page_after(post: Year, after: int, pinned: int | None) -> tuple[list[Comment], bool]:
    """The threads after thread `after` in the post's order (oldest first by its time, then
    its id), and whether more follow: what "Show more comments" loads, so that threads
    removed or pinned since the page was loaded make none skipped and none shown twice.

    `pinned` is the thread the first page showed first as pinned (0 for none): it is left
    out wherever it stands. Without it (a later page by number) whatever is pinned now is.
    Two queries, as `comment_page`: the cursor's time is a subquery.
    """
    last = Comment.objects.filter(year=post, pk=after).values("created_at")[:1]
    shown = (
        Comment.objects.filter(year=post)
        .threads()
        .shown()
        .filter(Q(created_at__gt=Subquery(last)) | Q(created_at=Subquery(last), pk__gt=after))
        .order_by("created_at", "id")
    )
    left_out = Q(pinned_at__isnull=False) if pinned is None else Q(pk=pinned)
    return with_replies(shown.exclude(left_out)[: THREADS_PER_PAGE + 1])


def with_replies(page: QuerySet[Comment]) -> tuple[list[Comment], bool]:
    """A page of threads (sliced one beyond `THREADS_PER_PAGE`, to tell whether more follow)
    with their live replies, in two queries."""
    threads = list(page.select_related("author"))
    replies = (
        Comment.objects.live()
        .filter(parent__in=page.values("pk"))
        .select_related("author", "reply_to__author")
    )
    by_thread: dict[int, list[Comment]] = {}
    for reply in replies:
        by_thread.setdefault(reply.parent_id, []).append(reply)
    for thread in threads:
        thread.shown_replies = by_thread.get(thread.pk, [])
    return threads[:THREADS_PER_PAGE], len(threads) > THREADS_PER_PAGE


def more_after(threads: list[Comment], page: int, pinned: int | None = None) -> dict:
    """What the "Show more comments" button needs to ask for the threads after these: the
    last one shown and the one shown first as pinned (on the first page)."""
    if page == 1 and pinned is None:
        pinned = threads[0].pk if threads and threads[0].is_pinned else 0
    return {"more_after": threads[-1].pk if threads else 0, "shown_pinned": pinned}


def cursor(request: HttpRequest) -> tuple[int, int | None] | None:
    """`after` and `pinned` of a request for the threads after a cursor; None without one."""
    after, pinned = request.GET.get("after"), request.GET.get("pinned")
    if after is None:
        return None
    if (
        not after.isdecimal()
        or len(after) > 18
        or (pinned is not None and not (pinned.isdecimal() and len(pinned) <= 18))
    ):
        raise BadRequest("A cursor of comments this site did not make.")
    return int(after), int(pinned) if pinned is not None else None


def comment_count(post: Year) -> int:
    return Comment.objects.filter(year=post).live().count()


def comments_context(
    request: HttpRequest, post: Year, page: int | None = None, *, shared: bool = False
) -> dict:
    """What the post's comments section needs; a private post has no comments (no queries).

    With `shared`, a signed-in reader who is not the owner gets the page of threads as all
    such readers see it, from the cache (`shared_threads`).
    """
    if post.is_private:
        return {"comment_count": 0, "threads": [], "comments_page": 1}
    page = page or page_number(request)
    user = request.user
    if shared and post_cache.enabled() and user.is_authenticated and user.pk != post.owner_id:
        return shared_threads(post, page)
    threads, more = comment_page(post, page)
    return {
        "comment_count": comment_count(post),
        "threads": threads,
        "comments_page": page,
        "more_comments": more,
        **more_after(threads, page),
    }


class Reader:
    """Whom the shared threads are rendered for: signed in, not the owner; with `pk`, the
    author of a comment, for the actions only they get."""

    is_authenticated = True

    def __init__(self, pk: int | None = None) -> None:
        self.pk = pk


def shared_threads(post: Year, page: int) -> dict:
    """A page of threads rendered once for every signed-in reader but the owner, then kept.

    Rendering fifty threads is most of what a reader's post costs (no reply box is in them:
    "Reply" fetches one, `comment_reply`). Only two things in them are the reader's own: the
    CSRF token in any form, rendered as a random stand-in (`csrf_stand_in`), and Edit and
    Delete on their own comments, rendered for each comment's author (`comment_actions`)
    with a marker in their place. The page
    they are part of puts in the reader's own (`post_cache.personal_threads`).
    """
    stored = post_cache.get_shared_threads(post, page)
    if stored is None:
        stored = post_cache.store_shared_threads(post, page, render_threads(post, page))
    return {
        "shared_threads": mark_safe(stored["html"]),  # the templates' own rendering
        "comment_actions": stored["actions"],
        "csrf_stand_in": stored["csrf_stand_in"],
        "comment_count": stored["comment_count"],
        "comments_page": page,
        "more_comments": stored["more_comments"],
    }


def render_threads(post: Year, page: int) -> dict:
    """A page of threads as `shared_threads` keeps it."""
    threads, more = comment_page(post, page)
    stand_in = secrets.token_hex(16)
    page_path = post.get_absolute_url() + (f"?comments_page={page}" if page > 1 else "")
    shared = {
        "post": post,
        "owner": post.owner,
        "is_owner": False,
        "csrf_token": stand_in,
        "page_path": page_path,  # the page the threads are on, for the forms' `next`
    }
    html = render_to_string(
        "planner/includes/comment_list.html",
        {**shared, "threads": threads, "comments_page": page, "more_comments": more}
        | more_after(threads, page)
        | {"user": Reader(), "shared": True},
    )
    actions = {
        comment.pk: (
            comment.author_id,
            render_to_string(
                "planner/includes/comment_item.html#actions",
                {**shared, "comment": comment, "user": Reader(comment.author_id)},
            ),
        )
        for thread in threads
        for comment in (thread, *thread.shown_replies)
        if comment.author_id and not comment.is_removed
    }
    return {
        "html": html,
        "actions": actions,
        "csrf_stand_in": stand_in,
        "comment_count": comment_count(post),
        "more_comments": more,
    }


def post_context(request: HttpRequest, post: Year) -> dict:
    return {"post": post, "owner": post.owner, "is_owner": post.owner_id == request.user.pk}


def thread_page(comment: Comment) -> int:
    """The page of the post's comments that shows this comment's thread (the pinned one is
    on the first)."""
    thread = comment.parent if comment.parent_id else comment
    if thread.is_pinned:
        return 1
    earlier = (
        Comment.objects.filter(year_id=comment.year_id)
        .threads()
        .shown()
        .filter(
            Q(pinned_at__isnull=False)
            | Q(created_at__lt=thread.created_at)
            | Q(created_at=thread.created_at, pk__lt=thread.pk)
        )
        .count()
    )
    return earlier // THREADS_PER_PAGE + 1


def comment_location(comment: Comment, anchor: str = "") -> str:
    """The post's page that shows the comment, scrolled to it (or to `anchor`)."""
    page = thread_page(comment)
    query = f"?comments_page={page}" if page > 1 else ""
    return f"{comment.year.get_absolute_url()}{query}#{anchor or f'comment-{comment.pk}'}"


def section_response(
    request: AuthedRequest, post: Year, page: int = 1, status: int = 200, **extra
) -> HttpResponse:
    """The whole comments section, for a new thread or a closed or reopened post."""
    context = {
        **post_context(request, post),
        **comments_context(request, post, page),
        "counts_oob": True,
        **extra,
    }
    response = render(request, "planner/includes/comment_section.html", context, status=status)
    return retarget(response, "#comments")


def thread_response(
    request: AuthedRequest,
    post: Year,
    thread_id: int,
    status: int = 200,
    *,
    reply_form: CommentForm | None = None,
    **extra,
) -> HttpResponse:
    """The thread again, or nothing when it is no longer shown, with both counts out of band.

    With a refused `reply_form` the thread comes back even when it is gone (as "This comment
    was removed."), so the box with the text typed and the reason stays where it was.
    """
    threads = Comment.objects.filter(pk=thread_id)
    if reply_form is None:
        threads = threads.shown()
    thread = threads.select_related("author").first()
    if thread is not None:
        replies = thread.replies.live().select_related("author", "reply_to__author")
        thread.shown_replies = list(replies)
    context = {
        **post_context(request, post),
        "thread": thread,
        "comment_count": comment_count(post),
        "reply_form": reply_form,
        **extra,
    }
    return render(request, "planner/includes/comment_thread.html#swap", context, status=status)


def refused(
    request: AuthedRequest, post: Year, form: CommentForm, status: int, **extra
) -> HttpResponse:
    """Refused input where it was typed, the text kept: the thread's box, the new-comment box
    or, without JavaScript, a page of its own."""
    if not request.htmx:
        context = {
            **post_context(request, post),
            "form": form,
            "thread": form.thread,
            "answered": form.answered or form.thread,
            **extra,
        }
        return render(request, "planner/comment_form.html", context, status=status)
    if form.thread is not None:
        return thread_response(request, post, form.thread.pk, status, reply_form=form)
    parent_id = form.data.get("parent", "")
    if parent_id.isdecimal() and len(parent_id) <= 18:
        # A reply to a comment no longer on this post (deleted for good since the box was
        # opened): the box stays in its thread, under "This comment was removed."
        gone = Comment(pk=int(parent_id), year=post, removed_at=timezone.now())
        gone.shown_replies = []
        context = {
            **post_context(request, post),
            "thread": gone,
            "reply_form": form,
            "comment_count": comment_count(post),
        }
        return render(request, "planner/includes/comment_thread.html#swap", context, status=status)
    context = {**post_context(request, post), "comment_form": form}
    return render(
        request, "planner/includes/comment_section.html#comment_new", context, status=status
    )


@require_safe
def comment_list(request: HttpRequest, username: str, year: int) -> HttpResponse:
    """Further threads, to put in place of the "Show more comments" button: those after the
    last one shown (`after`, `pinned`: `comment_page_after`), or a page by number."""
    post = get_year_for(request, username, year)
    after = cursor(request)
    if after is None:
        page = page_number(request)
        return fragment_or_redirect(
            request,
            "planner/includes/comment_list.html",
            lambda: {
                **post_context(request, post),
                **comments_context(request, post, page),
                "appended": True,
            },
            f"{post.get_absolute_url()}?comments_page={page}#comments",
        )

    def later_threads() -> dict:
        threads, more = comment_page_after(post, *after)
        return {
            **post_context(request, post),
            "threads": threads,
            "more_comments": more,
            "comments_page": 0,  # by cursor: no page number
            **more_after(threads, 0, after[1]),
            "appended": True,
        }

    return fragment_or_redirect(
        request,
        "planner/includes/comment_list.html",
        later_threads,
        reverse("planner:comment_link", args=[after[0]]),
    )


@login_required_in_place
@require_POST
def comment_create(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    """A new comment, or a reply (with `parent`); on a shared post whose comments are open."""
    post = get_year_to_comment(request, username, year)
    form = CommentForm(request.POST, post=post, author=request.user)
    if not form.is_valid():
        return refused(request, post, form, 422)
    if not ratelimit.allow("comment", request.user.pk, settings.COMMENT_RATE_LIMITS):
        form.add_error(None, _("You are commenting very fast. Please wait a little and try again."))
        return refused(request, post, form, 429)
    comment = form.save()
    if comment is None:  # the honeypot was filled in: look posted, store nothing
        if request.htmx:
            return section_response(request, post)
        return redirect(post.get_absolute_url() + "#comments")
    notify_of_comment_on_commit(comment)
    if not request.htmx:
        return redirect(comment_location(comment))
    if comment.parent_id:
        return thread_response(
            request, post, comment.parent_id, focus=comment.pk, reply_posted=True
        )
    return section_response(request, post, thread_page(comment), focus=comment.pk)


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request: AuthedRequest, comment_id: int) -> HttpResponse:
    """The author edits their comment; it then shows "edited"."""
    comment = get_comment_for(request, comment_id)
    post = comment.year
    form = CommentEditForm(request.POST or None, instance=comment)
    if form.is_valid() and form.save() and form.conflict is None:
        if request.htmx:
            return thread_response(request, post, comment.thread_id, focus=comment.pk)
        return redirect(comment_location(comment))
    # Changed in another tab meanwhile: nothing is written, both texts are shown.
    status = 409 if form.conflict is not None else form_status(form)
    if request.htmx:
        return thread_response(request, post, comment.thread_id, status, edit_form=form)
    context = {
        **post_context(request, post),
        "form": form,
        "comment": comment,
        "theirs": render_plain_text(form.conflict) if form.conflict is not None else None,
    }
    return render(request, "planner/comment_form.html", context, status=status)


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def comment_delete(request: AuthedRequest, comment_id: int) -> HttpResponse:
    """The author deletes their comment, or the post's owner removes one from their post."""
    comment = get_comment_for(request, comment_id, moderate=True)
    post = comment.year
    if request.method == "POST":
        comment.remove(by=request.user)
        if request.htmx:
            return thread_response(request, post, comment.thread_id)
        if comment.author_id == request.user.pk:
            messages.success(request, _("Your comment was deleted."))
        else:
            messages.success(request, _("The comment was removed."))
        anchor = f"comment-{comment.parent_id}" if comment.parent_id else "comments"
        return redirect(comment_location(comment, anchor=anchor))
    # The same question as the one asked in place (comment_item.html).
    if comment.author_id == request.user.pk:
        question, label = _("Delete your comment?"), _("Delete")
    else:
        question = _("Remove this comment by %(name)s?") % {"name": comment.author_name}
        label = _("Remove")
    context = {
        "object_label": comment.body[:60],
        "question": question,
        "quoted": comment.body[:200],
        "confirm_label": label,
        "cancel_url": comment_location(comment),
    }
    return render(request, "planner/confirm_delete.html", context)


@login_required_in_place
@require_safe
def comment_reply(request: AuthedRequest, comment_id: int) -> HttpResponse:
    """The box to reply to a comment, fetched when "Reply" is chosen: in place of the
    thread's empty reply box, or without JavaScript as a page of its own."""
    answered = get_comment_to_read(request, comment_id)
    post = answered.year
    thread = answered.parent if answered.parent_id else answered
    context = {
        **post_context(request, post),
        "thread": thread,
        "answered": answered,
        "page_path": comment_location(answered).split("#")[0],
    }
    if request.htmx:
        return render(request, "planner/includes/comment_thread.html#reply_box", context)
    return render(request, "planner/comment_form.html", context)


@login_required_in_place
@require_POST
def comment_pin(request: AuthedRequest, comment_id: int) -> HttpResponse:
    """The post's owner pins a thread (`pinned=1`), in place of any pinned before, or
    unpins it (`pinned=0`); the pinned thread shows first."""
    comment = get_comment_to_pin(request, comment_id)
    if request.POST.get("pinned") == "1":
        comment.pin()
    else:
        comment.unpin()
    if request.htmx:
        return section_response(request, comment.year, thread_page(comment), focus=comment.pk)
    return redirect(comment_location(comment))


@require_safe
def comment_link(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A lasting address for a comment (e-mails link here): the post's page that shows it."""
    return redirect(comment_location(get_comment_to_read(request, comment_id)))


@login_required_in_place
@require_POST
def comments_toggle(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    """The owner closes a post's comments (`closed=1`) or opens them again (`closed=0`)."""
    post = get_year_for(request, username, year, write=True)
    post.comments_closed = request.POST.get("closed") == "1"
    post.save(update_fields=["comments_closed"])
    if request.htmx:
        return section_response(request, post, page_number(request))
    return back_to(request, post, "#comments")
