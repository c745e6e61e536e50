"""Comments on a post: write, reply, edit, delete or remove, close; all in place and without JS.

The post shows the first page of threads (`comments_context`); every action answers htmx
with the piece it changed — the thread, or the whole comments section for a new thread —
and both comment counts out of band, and a plain form post with a redirect to the comment.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import retarget

from yearloop.http import AuthedRequest

from .. import post_cache, ratelimit
from ..forms import CommentEditForm, CommentForm
from ..models import Comment, Year
from ..notifications import notify_of_comment_on_commit
from ..permissions import (
    get_comment_for,
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
    shown = Comment.objects.filter(year=post).threads().shown()
    page_ids = shown.values("pk")[start : start + THREADS_PER_PAGE + 1]
    threads = list(shown.select_related("author")[start : start + THREADS_PER_PAGE + 1])
    replies = Comment.objects.live().filter(parent__in=page_ids).select_related("author")
    by_thread: dict[int, list[Comment]] = {}
    for reply in replies:
        by_thread.setdefault(reply.parent_id, []).append(reply)
    for thread in threads:
        thread.shown_replies = by_thread.get(thread.pk, [])
    return threads[:THREADS_PER_PAGE], len(threads) > THREADS_PER_PAGE


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
    }


class Reader:
    """Whom the shared threads are rendered for: signed in, not the owner; with `pk`, the
    author of a comment, for the actions only they get."""

    is_authenticated = True

    def __init__(self, pk: int | None = None) -> None:
        self.pk = pk


def shared_threads(post: Year, page: int) -> dict:
    """A page of threads rendered once for every signed-in reader but the owner, then kept.

    Rendering fifty threads with their reply boxes is most of what a reader's post costs.
    Only two things in them are the reader's own: the CSRF token in each form, rendered as
    a random stand-in (`csrf_stand_in`), and Edit and Delete on their own comments, rendered
    for each comment's author (`comment_actions`) with a marker in their place. The page
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
    """The page of the post's comments that shows this comment's thread."""
    thread = comment.parent if comment.parent_id else comment
    earlier = (
        Comment.objects.filter(year_id=comment.year_id)
        .threads()
        .shown()
        .filter(
            Q(created_at__lt=thread.created_at) | Q(created_at=thread.created_at, pk__lt=thread.pk)
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
    request: AuthedRequest, post: Year, thread_id: int, status: int = 200, **extra
) -> HttpResponse:
    """The thread again, or nothing when it is no longer shown, with both counts out of band."""
    thread = Comment.objects.filter(pk=thread_id).shown().select_related("author").first()
    if thread is not None:
        thread.shown_replies = list(thread.replies.live().select_related("author"))
    context = {
        **post_context(request, post),
        "thread": thread,
        "comment_count": comment_count(post),
        **extra,
    }
    return render(request, "planner/includes/comment_thread.html#swap", context, status=status)


def refused(
    request: AuthedRequest, post: Year, form: CommentForm, status: int, **extra
) -> HttpResponse:
    """Refused input where it was typed, the text kept: the thread's box, the new-comment box
    or, without JavaScript, a page of its own."""
    if not request.htmx:
        context = {**post_context(request, post), "form": form, "thread": form.thread, **extra}
        return render(request, "planner/comment_form.html", context, status=status)
    if form.thread is not None:
        return thread_response(request, post, form.thread.pk, status, reply_form=form)
    context = {**post_context(request, post), "comment_form": form}
    return render(
        request, "planner/includes/comment_section.html#comment_new", context, status=status
    )


@require_safe
def comment_list(request: HttpRequest, username: str, year: int) -> HttpResponse:
    """A further page of threads, to put in place of the "Show more comments" button."""
    post = get_year_for(request, username, year)
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
        return thread_response(request, post, comment.parent_id, focus=comment.pk)
    return section_response(request, post, thread_page(comment), focus=comment.pk)


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request: AuthedRequest, comment_id: int) -> HttpResponse:
    """The author edits their comment; it then shows "edited"."""
    comment = get_comment_for(request, comment_id)
    post = comment.year
    form = CommentEditForm(request.POST or None, instance=comment)
    if form.is_valid():
        form.save()
        if request.htmx:
            return thread_response(request, post, comment.thread_id, focus=comment.pk)
        return redirect(comment_location(comment))
    status = form_status(form)
    if request.htmx:
        return thread_response(request, post, comment.thread_id, status, edit_form=form)
    context = {**post_context(request, post), "form": form, "comment": comment}
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
    context = {
        "object_label": comment.body[:60],
        "cancel_url": comment_location(comment),
    }
    return render(request, "planner/confirm_delete.html", context)


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
