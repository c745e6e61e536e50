from __future__ import annotations

from django.http import HttpRequest


def page_path(request: HttpRequest) -> dict[str, str]:
    """The path of the page in the address bar, also when rendering an htmx fragment.

    Forms put it in their `next` field, so a plain post returns to that page.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.current_url_abs_path:
        return {"page_path": htmx.current_url_abs_path}
    return {"page_path": request.get_full_path()}
