"""A post as one Markdown document, in the layout of its page.

The layout is fixed (the Markdown importer reads it back):

    # <title>
    <intro>
    ## <year> goals            - [x] title — first note line / further lines indented by 2
    ## January–April …         <retrospective>, then ### <entry> with body and ![caption](url)
    ## Overall                 <overall retrospective>
    ## <year + 1> goals        - title

Empty sections are left out, except the three period headings.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import Entry, Goal, Period, Photo, Year


def prefetch_post(
    post: Year, viewer, *, with_deleted_entries: bool = False, next_year: Year | None = None
) -> None:
    """Load what the post page shows `viewer`: goals (also of `next_year`, in the same
    query), periods, entries and their photos."""
    owner = post.owner
    entries = Entry.objects.visible_to(viewer, owner).prefetch_related(
        Prefetch("photos", queryset=Photo.objects.all())
    )
    period_lookups = [Prefetch("entries", queryset=entries)]
    if with_deleted_entries:
        # What the owner may still undo, for all three periods in one query.
        deleted = Entry.all_objects.recently_deleted()
        period_lookups.append(
            Prefetch("entries", queryset=deleted, to_attr="recently_deleted_entries")
        )
    prefetch_related_objects(
        [item for item in (post, next_year) if item],
        Prefetch(
            "goals",
            queryset=Goal.objects.visible_to(viewer, owner)
            .select_related("carried_from__year__owner")
            .prefetch_related("updates"),
        ),
    )
    prefetch_related_objects(
        [post], Prefetch("periods", queryset=Period.objects.prefetch_related(*period_lookups))
    )


def next_year_of(post: Year, viewer) -> Year | None:
    """The owner's following year, if `viewer` may read it, with the goals they may see."""
    return (
        Year.objects.readable_by(viewer)
        .filter(owner=post.owner, year=post.year + 1)
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.visible_to(viewer, post.owner)))
        .first()
    )


def year_markdown(post: Year, viewer, photo_url: Callable[[Photo], str]) -> str:
    """The post as `viewer` may read it, in Markdown; `photo_url` says where each photo is."""
    prefetch_post(post, viewer)
    next_year = next_year_of(post, viewer)
    blocks = [f"# {_line(post.display_title)}", _text(post.intro)]
    goals = list(post.goals.all())
    if goals:
        blocks.append("## " + _("%(year)s goals") % {"year": post.year})
        blocks.append("\n".join(_goal_item(goal) for goal in goals))
    for period in post.periods.all():
        blocks += [f"## {period.label}", _text(period.retrospective)]
        for entry in period.entries.all():
            blocks += [f"### {_line(entry.title)}", _text(entry.body)]
            blocks += [_image(photo, photo_url) for photo in entry.photos.all()]
    if post.summary.strip():
        blocks += ["## " + pgettext("markdown heading", "Overall"), _text(post.summary)]
    next_goals = list(next_year.goals.all()) if next_year else []
    if next_goals:
        blocks.append("## " + _("%(year)s goals") % {"year": post.year + 1})
        blocks.append("\n".join(f"- {_line(goal.title)}" for goal in next_goals))
    return "\n\n".join(block for block in blocks if block) + "\n"


def _text(markdown: str) -> str:
    return normalize_newlines(markdown).strip()


def _line(text: str) -> str:
    """A one-line text (a title) kept to its line: a line break in it would start a block."""
    return " ".join(str(text).split())


def _goal_item(goal: Goal) -> str:
    line = f"- [{'x' if goal.done else ' '}] {_line(goal.title)}"
    note = _text(goal.note).split("\n")
    if note[0]:
        line += f" — {note[0]}"
    more = [f"  {text}" if text.strip() else "" for text in note[1:]]
    return "\n".join([line, *more])


def _image(photo: Photo, photo_url: Callable[[Photo], str]) -> str:
    caption = _line(photo.caption)
    caption = caption.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"![{caption}]({photo_url(photo)})"
