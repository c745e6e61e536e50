"""The site's URLs plus one that fails, for the tests of the 500 page."""

from __future__ import annotations

from django.urls import path

from yearloop.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("A page that fails, for the tests of the 500 page.")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
