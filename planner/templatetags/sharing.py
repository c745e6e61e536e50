"""What a post or a profile tells link previews and search engines: address, description, images.

Every absolute address here is made by `absolute_url`, so how the site builds them stays in
one place. docs/decisions/share-images.md says which images are offered and why.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable

from django import template
from django.templatetags.static import static

from accounts.models import User
from planner.images import AVATAR_EDGE
from planner.markdown import plain_excerpt
from planner.models import Period, Photo, Year
from yearloop import site

register = template.Library()

SHARE_WIDTH = 960
# static/share.png: the site's mark on a card of the size link previews ask for.
SITE_IMAGE = {"path": "share.png", "type": "image/png", "width": 1200, "height": 630}


@register.simple_tag
def absolute_url(path: str) -> str:
    return site.absolute_url(path)


@register.simple_tag
def share_description(post: Year) -> str:
    """The intro as plain text, short enough for a link preview."""
    return plain_excerpt(post.intro, 200) or f"{post.display_title} — {post.owner.name}"


@register.simple_tag
def share_images(periods: Iterable[Period], owner: User) -> list[dict]:
    """The images a preview may show for a post, the preferred first.

    The first photo the reader sees, as JPEG (which every preview reads) then WebP; without
    one, the author's avatar, else the site's image. Walks the periods, entries and photos
    the page already fetched, so it costs no query.
    """
    for period in periods:
        for entry in period.entries.all():
            for photo in entry.photos.all():
                return _photo_images(photo, photo.caption or entry.title)
    return profile_images(owner)


@register.simple_tag
def profile_images(owner: User) -> list[dict]:
    """The person's avatar, or the site's image when they have none."""
    if owner.avatar:
        avatar = {
            "url": site.absolute_url(owner.avatar_url),
            "type": mimetypes.guess_type(owner.avatar.name)[0] or "image/jpeg",
            "width": AVATAR_EDGE,  # every avatar is cropped to this square
            "height": AVATAR_EDGE,
            "alt": owner.name,
            "large": False,
        }
        return [avatar]
    card = {key: value for key, value in SITE_IMAGE.items() if key != "path"}
    url = site.absolute_url(static(SITE_IMAGE["path"]))
    return [{**card, "url": url, "alt": "Yearloop", "large": True}]


def _photo_images(photo: Photo, alt: str) -> list[dict]:
    # photo.image is the JPEG every upload also gets; the WebP renditions are lighter.
    files = [{"name": photo.image.name, "width": photo.width, "height": photo.height}]
    if photo.renditions:
        files.append(photo.rendition(SHARE_WIDTH))
    return [
        {
            "url": site.absolute_url(photo.file_url(file["name"])),
            "type": mimetypes.guess_type(file["name"])[0] or "image/jpeg",
            "width": file["width"],
            "height": file["height"],
            "alt": alt,
            "large": True,
        }
        for file in files
    ]
