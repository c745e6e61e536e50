"""The site's own address, the one source of every absolute URL it hands out.

Links in link previews, feeds, the sitemap, e-mail and exports say SITE_URL, never the Host
a request came with: a request naming another host (or a proxy passing one on) cannot make
the site publish addresses elsewhere, and cached renderings hold one address for everyone.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from `reverse()` or `get_absolute_url()`) on the site's own address."""
    return settings.SITE_URL.rstrip("/") + path


def site_scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme


def site_domain() -> str:
    """The host (and port, if any) of the site's address."""
    return urlsplit(settings.SITE_URL).netloc
