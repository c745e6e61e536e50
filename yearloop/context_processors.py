from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def page_path(request: HttpRequest) -> dict[str, str]:
    """The path of the page to come back to, also when rendering an htmx fragment.

    Forms put it in their `next` field, so a plain post returns to that page. A page
    rendered in answer to a post (a refused form, 422) may have an address that only takes
    posts: its forms come back to the page the post was sent from instead.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.current_url_abs_path:
        return {"page_path": htmx.current_url_abs_path}
    if request.method == "POST":
        return {"page_path": _page_posted_from(request)}
    return {"page_path": request.get_full_path()}


def _page_posted_from(request: HttpRequest) -> str:
    """The form's own `next`, else the Referer when it is another page; both only on this
    site. A form that posts to the address of its own page comes back to that page."""
    for address in (request.POST.get("next", ""), request.headers.get("Referer", "")):
        safe = url_has_allowed_host_and_scheme(
            address, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        parts = urlsplit(address)
        if address and safe and parts.path != request.path:
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()
