from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from planner.permissions import get_year_for
from yearloop.site import absolute_url

from ..archive import zip_chunks
from ..markdown_export import year_bundle, year_markdown


@require_safe
def year_export_md(request: HttpRequest, username: str, year: int) -> HttpResponse:
    """The post as Markdown, as much of it as its readers see; its owner may ask for the
    private goals and entries too (`?private=1`), marked as private."""
    post = get_year_for(request, username, year)
    private = request.GET.get("private") == "1"
    text = year_markdown(
        post, request.user, lambda photo: absolute_url(photo.fallback_url), private=private
    )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{post.owner.username}-{post.year}.md"
    )
    return response


@require_safe
def year_export_zip(request: HttpRequest, username: str, year: int) -> StreamingHttpResponse:
    """The post as Markdown with its photos in a .zip, the links leading to them: as much
    as `year_export_md` gives this person."""
    post = get_year_for(request, username, year)
    private = request.GET.get("private") == "1"
    text, files = year_bundle(post, request.user, private=private)
    name = f"{post.owner.username}-{post.year}"
    response = StreamingHttpResponse(
        zip_chunks({f"{name}.md": text.encode()}, files), content_type="application/zip"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.zip")
    return response
