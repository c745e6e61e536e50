"""The site's URLs and one more: a constant answer, the least a Django request can cost."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from yearloop.urls import urlpatterns as site_patterns


def constant(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/constant/", constant, name="bench_constant"), *site_patterns]
