"""Feeds and sharing: a person's Atom feed, the sitemap and robots.txt.

Only public years are ever in them; unlisted ones are shared by link, not listed.
"""

from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import User

from ..markdown import render_markdown
from ..models import Visibility, Year
from ..permissions import get_active_user

FEED_ITEMS = 50


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

    def get_object(self, request: HttpRequest, username: str) -> User:
        return get_active_user(username)

    def title(self, owner: User) -> str:
        return _("%(name)s on Yearloop") % {"name": owner.name}

    def subtitle(self, owner: User) -> str | None:
        return owner.bio or None

    def link(self, owner: User) -> str:
        return reverse("planner:profile", args=[owner.username])

    def author_name(self, owner: User) -> str:
        return owner.name

    def items(self, owner: User):
        return (
            Year.objects.public()
            .filter(owner=owner)
            .select_related("owner")
            .order_by("-published_at", "-year")[:FEED_ITEMS]
        )

    def item_title(self, post: Year) -> str:
        return str(post.display_title)

    def item_description(self, post: Year) -> SafeString | None:
        # Atom's <summary type="html">: the intro as the post shows it, sanitised.
        return render_markdown(post.intro) or None

    def item_pubdate(self, post: Year) -> datetime.datetime:
        return post.published_at or post.created_at

    def item_updateddate(self, post: Year) -> datetime.datetime:
        return post.updated_at

    def item_author_name(self, post: Year) -> str:
        return post.owner.name

    def item_extra_kwargs(self, post: Year) -> dict:
        return {"language": post.content_language}


class PostSitemap(Sitemap):
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


class ProfileSitemap(Sitemap):
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


@require_GET
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
        "Sitemap: " + request.build_absolute_uri(reverse("sitemap")),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
