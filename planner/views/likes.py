from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from yearloop.http import AuthedRequest

from ..models import Like, Year
from ..permissions import get_year_for, login_required_in_place
from .responses import back_to

# The post shows its likes twice, in the header and in the footer.
PLACES = ("header", "footer")


def like_regions(
    request: AuthedRequest, post: Year, place: str, status: int = 200, **extra
) -> HttpResponse:
    """The region that was clicked, and the other one out of band, so both show the same."""
    count, liked = Like.objects.summary(post, request.user)
    context = {
        "post": post,
        "owner": post.owner,
        "is_owner": post.owner_id == request.user.pk,
        "like_count": count,
        "liked": liked,
        **extra,
    }
    others = [other for other in PLACES if other != place]
    html = "".join(
        render_to_string(
            "planner/includes/like_button.html",
            {**context, "place": where, "oob": where != place},
            request=request,
        )
        for where in [place, *others]
    )
    return HttpResponse(html, status=status)


@login_required_in_place
@require_POST
def post_like(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    """Like a post (`like=1`) or take the like back (`like=0`); readers only, not the owner."""
    post = get_year_for(request, username, year)
    place = request.POST.get("place") if request.POST.get("place") in PLACES else PLACES[0]
    if post.owner_id == request.user.pk:
        if request.htmx:
            return like_regions(request, post, place, status=422, refused=True)
        return render(request, "planner/like_refused.html", {"post": post}, status=422)
    Like.objects.set(post, request.user, liked=request.POST.get("like") != "0")
    if request.htmx:
        return like_regions(request, post, place)
    return back_to(request, post, f"#like-{place}")
