from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..search import MIN_QUERY_LENGTH, SearchForm


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """The owner's own years, whatever their visibility, and everyone's public posts."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    results = form.search(request.user) if form.words else None
    context = {
        "form": form,
        "results": results,
        "too_short": form.is_bound and form.is_valid() and results is None,
        "min_length": MIN_QUERY_LENGTH,
    }
    return render(request, "planner/search.html", context, status=422 if form.errors else 200)
