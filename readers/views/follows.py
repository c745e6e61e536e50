"""Following a writer: the button on their profile and posts, their followers, and the
reader's "Following" page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from planner import post_cache
from planner.models import Visibility, Year
from planner.permissions import get_active_user, login_required_in_place
from yearloop.http import AuthedRequest

from ..following import Follow

PER_PAGE = 50


@login_required_in_place
@require_POST
def follow(request: AuthedRequest, username: str) -> HttpResponse:
    """Follow a writer (`follow=1`) or stop (`follow=0`); nobody follows themself (422)."""
    writer = get_active_user(username)
    context = {"writer": writer, "following": False}
    if writer.pk == request.user.pk:
        template = (
            "readers/includes/follow_button.html" if request.htmx else "readers/follow_refused.html"
        )
        return render(request, template, {**context, "refused": True}, status=422)
    following = request.POST.get("follow") != "0"
    Follow.objects.set(request.user, writer, following=following)
    # The profile shows the count to everyone, from a kept page: it is made again.
    post_cache.bump(Year.objects.filter(owner=writer))
    if request.htmx:
        context["following"] = following
        context["brief"] = bool(request.POST.get("brief"))
        if request.POST.get("with_count"):
            context["with_count"] = True
            context["follower_count"] = Follow.objects.summary(writer, request.user)[0]
        return render(request, "readers/includes/follow_button.html", context)
    if following:
        messages.success(request, _("You follow %(name)s.") % {"name": writer.name})
    else:
        messages.success(request, _("You no longer follow %(name)s.") % {"name": writer.name})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = writer.get_absolute_url()
    return redirect(back.split("#")[0] + f"#follow-{writer.username}")


@login_required
@require_safe
def followers(request: AuthedRequest, username: str) -> HttpResponse:
    """Who follows a writer: for the writer alone, 404 to anyone else."""
    if username.lower() != request.user.username:
        raise Http404
    people = User.objects.filter(following__writer=request.user, is_active=True).order_by(
        "-following__created_at"
    )
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "readers/follower_list.html", {"page": page, "writer": request.user})


@login_required
@require_safe
def following(request: AuthedRequest) -> HttpResponse:
    """The writers this reader follows, each with their newest public post."""
    newest = Year.objects.filter(owner=OuterRef("pk"), visibility=Visibility.PUBLIC).order_by(
        "-year"
    )
    writers = (
        User.objects.filter(followers__follower=request.user, is_active=True)
        .annotate(newest_post_id=Subquery(newest.values("pk")[:1]))
        .order_by("-followers__created_at")
    )
    page = Paginator(writers, PER_PAGE).get_page(request.GET.get("page"))
    posts = Year.objects.in_bulk([w.newest_post_id for w in page if w.newest_post_id])
    for writer in page:
        if post := posts.get(writer.newest_post_id):
            post.owner = writer
        writer.newest_post = post
    return render(request, "readers/following_list.html", {"page": page})
