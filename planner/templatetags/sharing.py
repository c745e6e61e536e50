"""What a post tells link previews and search engines: its address, description, image."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from planner import site
from planner.markdown import plain_excerpt
from planner.models import Period, Photo, Year

register = template.Library()

SHARE_WIDTH = 960


@register.simple_tag
def absolute_url(path: str) -> str:
    return site.absolute_url(path)


@register.simple_tag
def share_description(post: Year) -> str:
    """The intro as plain text, short enough for a link preview."""
    return plain_excerpt(post.intro, 200) or f"{post.display_title} — {post.owner.name}"


@register.simple_tag
def share_image(periods: Iterable[Period]) -> dict | None:
    """The first photo the reader sees, at 960 px wide or its widest, with an absolute address.

    Walks the periods, entries and photos the page already fetched, so it costs no query.
    """
    for period in periods:
        for entry in period.entries.all():
            for photo in entry.photos.all():
                return _share_rendition(photo, entry.title)
    return None


def _share_rendition(photo: Photo, entry_title: str) -> dict:
    renditions = photo.renditions or [
        {"name": photo.image.name, "width": photo.width, "height": photo.height}
    ]
    chosen = next((r for r in renditions if r["width"] == SHARE_WIDTH), renditions[-1])
    return {
        "url": site.absolute_url(photo.file_url(chosen["name"])),
        "type": "image/webp" if chosen["name"].endswith(".webp") else "image/jpeg",
        "width": chosen["width"],
        "height": chosen["height"],
        "alt": photo.caption or entry_title,
    }
