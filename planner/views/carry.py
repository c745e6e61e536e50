from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from yearloop.http import AuthedRequest

from ..forms import CarryOverForm
from ..permissions import get_year_for
from .responses import form_status


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def carry_over(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    post = get_year_for(request, username, year, write=True)
    # Not `request.POST or None`: a POST with nothing ticked must be refused, not shown afresh.
    form = CarryOverForm(request.POST if request.method == "POST" else None, post=post)
    if form.is_valid():
        next_post, copies = form.save()
        count = len(copies)
        messages.success(
            request,
            ngettext(
                "%(count)s goal carried over to %(year)s.",
                "%(count)s goals carried over to %(year)s.",
                count,
            )
            % {"count": count, "year": next_post.year},
        )
        return redirect(next_post.get_absolute_url() + "#goals")
    context = {"form": form, "post": post}
    return render(request, "planner/carry_over.html", context, status=form_status(form))
