"""Feeds and sharing: a person's Atom feed, the sitemap and robots.txt.

Only public years are ever in them; unlisted ones are shared by link, not listed. Every
address in them is on SITE_URL (yearloop/site.py). Their validator is the ETag that
yearloop.middleware.ConditionalGetMiddleware makes from the body: the Last-Modified that
Django's feed and sitemap views set is the newest date among what is still listed, which
goes back when a post leaves the list, so a reader asking "modified since?" would be told
"no" while the list lost an entry.
"""

from __future__ import annotations

import datetime
import re

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import User
from yearloop.site import absolute_url, site_domain, site_scheme

from ..markdown import render_markdown
from ..models import Visibility, Year
from ..permissions import get_active_user

FEED_ITEMS = 50
# What XML 1.0 cannot carry at all (Django's feed writer refuses it with an error), though
# a pasted title or intro may hold it.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


class PostsAtomFeed(Atom1Feed):
    """Atom whose entries say their own language: the feed's is the reader's, its words."""

    def item_attributes(self, item: dict) -> dict:
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


class PostFeed(Feed):
    """`/@<username>/feed/`: the person's public posts, newest first."""

    feed_type = PostsAtomFeed

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        del response["Last-Modified"]
        return response

    def get_object(self, request: HttpRequest, username: str) -> User:
        return get_active_user(username)

    def title(self, owner: User) -> str:
        return xml_text(_("%(name)s on Yearloop") % {"name": owner.name})

    def subtitle(self, owner: User) -> str | None:
        return xml_text(owner.bio) or None

    def link(self, owner: User) -> str:
        return absolute_url(reverse("planner:profile", args=[owner.username]))

    def feed_url(self, owner: User) -> str:
        return absolute_url(reverse("planner:feed", args=[owner.username]))

    def author_name(self, owner: User) -> str:
        return xml_text(owner.name)

    def items(self, owner: User):
        return (
            Year.objects.public()
            .filter(owner=owner)
            .select_related("owner")
            .order_by("-published_at", "-year")[:FEED_ITEMS]
        )

    def item_link(self, post: Year) -> str:
        return absolute_url(post.get_absolute_url())

    def item_guid(self, post: Year) -> str:
        # The entry's id outlives a new username and a new site address (docs/decisions).
        return post.key.urn

    item_guid_is_permalink = False

    def item_title(self, post: Year) -> str:
        return xml_text(str(post.display_title))

    def item_description(self, post: Year) -> SafeString | None:
        # Atom's <summary type="html">: the intro as the post shows it, sanitised.
        return mark_safe(xml_text(render_markdown(post.intro))) or None

    def item_pubdate(self, post: Year) -> datetime.datetime:
        return post.published_at or post.created_at

    def item_updateddate(self, post: Year) -> datetime.datetime:
        return post.updated_at

    def item_author_name(self, post: Year) -> str:
        return xml_text(post.owner.name)

    def item_extra_kwargs(self, post: Year) -> dict:
        return {"language": post.content_language}


class SiteSitemap(Sitemap):
    """Addresses on SITE_URL, whatever host and scheme the request came with."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return site_scheme()

    def get_domain(self, site=None) -> str:
        return site_domain()


class PostSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Year.objects.public()
            .filter(owner__is_active=True)
            .select_related("owner")
            .order_by("owner__username", "year")
        )

    def lastmod(self, post: Year) -> datetime.datetime:
        return post.updated_at


class ProfileSitemap(SiteSitemap):
    """Profiles of people with at least one public post."""

    changefreq = "monthly"

    def items(self):
        # Filtering on years before annotating keeps the newest change among public years.
        return (
            User.objects.filter(is_active=True, years__visibility=Visibility.PUBLIC)
            .annotate(last_public_change=Max("years__updated_at"))
            .order_by("username")
        )

    def location(self, user: User) -> str:
        return reverse("planner:profile", args=[user.username])

    def lastmod(self, user: User) -> datetime.datetime:
        return user.last_public_change


SITEMAPS = {"posts": PostSitemap, "profiles": ProfileSitemap}


def sitemap_xml(request: HttpRequest) -> HttpResponse:
    response = sitemap(request, SITEMAPS)
    del response["Last-Modified"]  # see the module's docstring
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    # Private things answer 404 to crawlers anyway; naming them here would only point at them.
    lines = [
        "User-agent: *",
        # The way in stays findable; the rest of /accounts/ is forms nobody searches for.
        "Allow: " + reverse("login"),
        "Allow: " + reverse("accounts:signup"),
        "Disallow: /accounts/",
        "Disallow: " + reverse("planner:search"),
        "",
        "Sitemap: " + absolute_url(reverse("sitemap")),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
