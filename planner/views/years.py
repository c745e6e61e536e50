from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from readers.following import Follow
from yearloop.http import AuthedRequest

from .. import page_cache, post_cache
from ..areas import goals_by_area
from ..forms import YearCreateForm, YearForm
from ..models import RESTORE_WINDOW, Goal, Import, Like, Visibility, Year
from ..permissions import get_active_user, get_year_for
from ..post_page import next_post_of, prefetch_post
from ..stats import count_view, post_views
from .app import kept_offline_for_owner
from .comments import comments_context
from .responses import form_status


def profile(request: HttpRequest, username: str) -> HttpResponse:
    version = page_cache.profile_version(username) if page_cache.is_plain_visit(request) else None
    if page := page_cache.stored(request, "profile", version):
        return page
    owner = get_active_user(username)
    viewer = request.user
    counted = Q(goals__deleted_at__isnull=True) & (Q(goals__is_private=False) | Q(owner=viewer.pk))
    years = list(
        Year.objects.listed_for(viewer, owner)
        .annotate(
            goal_total=Count("goals", filter=counted),
            goal_reached=Count("goals", filter=counted & Q(goals__done=True)),
        )
        .order_by("-year")
    )
    context = {"owner": owner, "years": years, "is_owner": viewer == owner}
    context["follower_count"], context["following"] = Follow.objects.summary(owner, viewer)
    if years:
        context["areas"] = goals_by_area(viewer, owner, [post.year for post in years])
    response = render(request, "planner/profile.html", context)
    page_cache.store(request, "profile", version, response)
    return response


def series_print(request: HttpRequest, username: str) -> HttpResponse:
    """All of a person's years this reader may see in their series, one after another, to
    print as a book (the print stylesheet starts each year and each period on a page)."""
    owner = get_active_user(username)
    viewer = request.user
    years = Year.objects.readable_by(viewer).filter(owner=owner).select_related("owner")
    if viewer != owner:
        years = years.filter(visibility=Visibility.PUBLIC)
    years = list(years.order_by("year"))
    if not years:
        raise Http404
    by_year = {post.year: post for post in years}
    books = []
    for post in years:
        context = {
            "post": post,
            "owner": owner,
            "is_owner": False,  # the book has no controls, the owner's neither
            **post_body_context(viewer, post, by_year.get(post.year + 1), controls=False),
        }
        body = render_to_string("planner/year_detail.html#post_body", context, request)
        books.append((post, body))
    return render(request, "planner/series_print.html", {"owner": owner, "books": books})


@login_required
@require_safe
def year_as_visitor(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    """The owner's post as someone who is not signed in would read it, without a control."""
    post = get_year_for(request, username, year, write=True)
    visitor = AnonymousUser()
    context = {
        "post": post,
        "owner": post.owner,
        "is_owner": False,
        **post_body_context(visitor, post, next_post_of(post, visitor), controls=False),
    }
    return render(request, "planner/year_as_visitor.html", context)


@kept_offline_for_owner
def year_detail(request: HttpRequest, username: str, year: int) -> HttpResponse:
    page = (
        page_cache.stored_post(request, username, year)
        or page_cache.stored_reader_post(request, username, year)
        or page_cache.stored_own_post(request, username, year)
    )
    if page:
        return page
    post = get_year_for(request, username, year)
    count_view(request, post)
    context = post_page_context(request, post)
    if "shared_threads" in context:  # a signed-in reader but the owner
        return page_cache.reader_post(request, post, context)
    if context["is_owner"] and post_cache.enabled():
        return page_cache.own_post(request, post, context, restorable_until(context))
    response = render(request, "planner/year_detail.html", context)
    page_cache.store_post(request, post, response)
    return response


def restorable_until(context: dict) -> datetime.datetime | None:
    """When the first of the deleted goals and entries on the owner's page can no longer be
    restored, or its import undone, and that Undo must go; None when there is none."""
    deleted = [
        *context["deleted_goals"],
        *(entry for period in context["periods"] for entry in period.recently_deleted_entries),
    ]
    ends = [item.deleted_at + RESTORE_WINDOW for item in deleted]
    if (record := context["import_record"]) and record.can_be_undone:
        ends.append(record.undoable_until)  # and its Undo goes with it
    return min(ends, default=None)


def post_page_context(request: HttpRequest, post: Year) -> dict:
    """Everything the post's page shows, loaded in a fixed number of queries.

    What every reader but the owner sees alike (the body: texts, goals, periods, next
    year's goals; and the link-preview tags) comes from the cache when it is there.
    """
    viewer, owner = request.user, post.owner
    is_owner = viewer == owner
    # The series and next year in one query: the owner's years this person may open.
    years = (
        Year.objects.readable_by(viewer).filter(owner=owner).only("year", "visibility", "owner_id")
    )
    years = [post if item.pk == post.pk else item for item in years.order_by("year")]
    series = [
        item for item in years if is_owner or item.visibility == Visibility.PUBLIC or item == post
    ]
    position = next(i for i, item in enumerate(series, start=1) if item.pk == post.pk)
    context = {
        "post": post,
        "owner": owner,
        "is_owner": is_owner,
        "series": series,
        "position": position,
        "previous_in_series": series[position - 2] if position > 1 else None,
        "next_in_series": series[position] if position < len(series) else None,
        "deleted_goals": Goal.all_objects.filter(year=post).recently_deleted() if is_owner else (),
        "views": post_views(post, timezone.localdate()) if is_owner else None,
        "import_record": Import.objects.filter(post=post).first() if is_owner else None,
    }
    context["like_count"], context["liked"] = Like.objects.summary(post, viewer)
    context["following"] = not is_owner and Follow.objects.follows(viewer, owner)
    context.update(comments_context(request, post, shared=True))
    if not is_owner and (reader_part := post_cache.get_reader_part(post)):
        context["reader_part"] = reader_part
        return context
    next_post = next((item for item in years if item.year == post.year + 1), None)
    context.update(post_body_context(viewer, post, next_post))
    if not is_owner:
        parts = {
            "head": render_to_string("planner/includes/post_meta.html", context, request),
            "body": render_to_string("planner/year_detail.html#post_body", context, request),
        }
        context["reader_part"] = post_cache.store_reader_part(post, parts)
    return context


def post_body_context(
    viewer, post: Year, next_post: Year | None, *, controls: bool | None = None
) -> dict:
    """The post's body; with the owner's `controls` (for the owner, unless told otherwise),
    also what they deleted and may still restore."""
    if controls is None:
        controls = viewer == post.owner
    prefetch_post(post, viewer, with_deleted_entries=controls, next_post=next_post)
    goals = list(post.goals.all())
    # The first photo of the post loads at once; every other one waits until it is near.
    first_photo = next(
        (
            photo
            for period in post.periods.all()
            for entry in period.entries.all()
            for photo in entry.photos.all()
        ),
        None,
    )
    return {
        "goals": goals,
        "reached": sum(goal.done for goal in goals),
        "periods": post.periods.all(),
        "next_post": next_post,
        "first_photo_id": first_photo.pk if first_photo else None,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def year_create(request: AuthedRequest) -> HttpResponse:
    form = YearCreateForm(request.POST or None, owner=request.user)
    if form.is_valid():
        post = form.save()
        messages.success(
            request, _("%(year)s is ready. Start with a few goals.") % {"year": post.year}
        )
        return redirect(post)
    return render(request, "planner/year_create.html", {"form": form}, status=form_status(form))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def year_edit(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    post = get_year_for(request, username, year, write=True)
    form = YearForm(request.POST or None, instance=post)
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(post)
    context = {"form": form, "post": post}
    return render(request, "planner/year_form.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def year_delete(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    post = get_year_for(request, username, year, write=True)
    if request.method == "POST":
        post.delete()
        messages.success(request, _("%(year)s was deleted.") % {"year": post.year})
        return redirect("planner:profile", request.user.username)
    return render(
        request,
        "planner/confirm_delete.html",
        {"object_label": post.display_title, "cancel_url": post.get_absolute_url()},
    )
