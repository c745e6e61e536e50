"""A post as one Markdown document, in the layout of its page.

The layout is fixed (the Markdown importer reads it back):

    # <title>
    *by <author> · <bio>*      (left out by the importer: the importer is the author)
    <intro>
    ## <year> goals            *3 of 5 reached*
                               - [x] title *(private)* — first note line
                                 further note lines, indented by 2
                                 *5 / 15 books · by 2025-06-30 · 2nd try*
    ## January–April …         ### <entry> *(private)*, its text and ![caption](url);
                               then ### Looking back and the period's retrospective
    ## Overall                 <overall retrospective>
    ## <year + 1> goals        - title
    *2 / 5 in the series*      (left out by the importer)

Empty sections are left out, except the three period headings. Private items are there
only when the owner asks for them, marked "*(private)*".
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils.text import normalize_newlines, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from planner.models import Entry, Goal, Photo, ProgressKind, Visibility, Year
from planner.post_page import next_post_of, prefetch_post


def year_markdown(
    post: Year, viewer, photo_url: Callable[[Photo], str], *, private: bool = False
) -> str:
    """The post as `viewer` may read it, in Markdown; `photo_url` says where each photo is.

    The owner gets what readers get — a document made to be shared must not carry a
    private goal or entry by accident — unless they ask for the `private` ones too, which
    are then marked as such after their title.
    """
    if viewer == post.owner and not private:
        viewer = AnonymousUser()  # what anyone with the address reads
    prefetch_post(post, viewer, with_answers=False)  # answers are not in its layout
    next_post = next_post_of(post, viewer)
    blocks = [f"# {_line(post.display_title)}", _byline(post.owner), _text(post.intro)]
    goals = list(post.goals.all())
    if goals:
        blocks.append("## " + _("%(year)s goals") % {"year": post.year})
        blocks.append("*" + _reached(goals) + "*")
        blocks.append("\n".join(_goal_item(goal) for goal in goals))
    for period in post.periods.all():
        blocks.append(f"## {period.label}")
        for entry in period.entries.all():
            blocks += [f"### {_line(entry.title)}{_private_mark(entry)}", _text(entry.body)]
            blocks += [_image(photo, photo_url) for photo in entry.photos.all()]
        if period.retrospective.strip():
            # After its entries, as the page shows it; the importer reads it back as such.
            looking_back = pgettext("markdown heading", "Looking back")
            blocks += [f"### {looking_back}", _text(period.retrospective)]
    if post.summary.strip():
        blocks += ["## " + pgettext("markdown heading", "Overall"), _text(post.summary)]
    next_goals = list(next_post.goals.all()) if next_post else []
    if next_goals:
        blocks.append("## " + _("%(year)s goals") % {"year": post.year + 1})
        blocks.append(
            "\n".join(f"- {_line(goal.title)}{_private_mark(goal)}" for goal in next_goals)
        )
    blocks.append(_series_position(post, viewer))
    return "\n\n".join(block for block in blocks if block) + "\n"


def _series_position(post: Year, viewer) -> str:
    """ "*2 / 5 in the series*", of the years the post's page lists to `viewer`; nothing for
    a post alone. The importer leaves it out."""
    years = Year.objects.readable_by(viewer).filter(owner_id=post.owner_id)
    if viewer != post.owner:
        years = years.filter(Q(visibility=Visibility.PUBLIC) | Q(pk=post.pk))
    numbers = sorted(years.values_list("year", flat=True))
    if len(numbers) < 2:
        return ""
    position = numbers.index(post.year) + 1
    words = pgettext("markdown series", "%(position)s / %(total)s in the series")
    return "*" + words % {"position": position, "total": len(numbers)} + "*"


def _private_mark(item: Goal | Entry) -> str:
    return " *(" + pgettext("markdown mark", "private") + ")*" if item.is_private else ""


def _text(markdown: str) -> str:
    return normalize_newlines(markdown).strip()


def _line(text: str) -> str:
    """A one-line text (a title) kept to its line: a line break in it would start a block."""
    return " ".join(str(text).split())


def _goal_item(goal: Goal) -> str:
    line = f"- [{'x' if goal.done else ' '}] {_line(goal.title)}{_private_mark(goal)}"
    note = _text(goal.note).split("\n")
    if note[0]:
        line += f" — {note[0]}"
    more = [f"  {text}" if text.strip() else "" for text in note[1:]]
    if figures := _figures(goal):
        more.append(f"  *{figures}*")
    return "\n".join([line, *more])


def _figures(goal: Goal) -> str:
    """A goal's progress, deadline and try on one line, as the importer reads them back:
    "5 / 15 books · by 2025-06-30 · 2nd try" ("78 → 77.5 / 76 kg" for a reading)."""
    parts = []
    if goal.target is not None:
        figures = f"{_number(goal.progress or 0)} / {_number(goal.target)}"
        if goal.progress_kind == ProgressKind.LATEST and goal.start_value is not None:
            figures = f"{_number(goal.start_value)} → {figures}"
        parts.append(f"{figures} {_line(goal.unit)}".strip())
    if goal.deadline:
        parts.append(pgettext("markdown goal", "by %(date)s") % {"date": goal.deadline})
    if goal.attempt > 1:
        parts.append(pgettext("markdown goal", "%(nth)s try") % {"nth": goal.attempt_ordinal})
    return " · ".join(parts)


def _number(value) -> str:
    """A decimal as plain digits, without trailing zeros: 77.50 → 77.5, 15.00 → 15."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _byline(owner) -> str:
    """The author, as the post shows them; the importer leaves it out (the importer is the
    author of what they import)."""
    words = pgettext("markdown byline", "by %(name)s") % {"name": _line(owner.name)}
    if owner.bio.strip():
        words += f" · {_line(owner.bio)}"
    return f"*{words}*"


def _reached(goals: list[Goal]) -> str:
    reached = sum(goal.done for goal in goals)
    return ngettext(
        "%(reached)s of %(total)s reached", "%(reached)s of %(total)s reached", len(goals)
    ) % {"reached": reached, "total": len(goals)}


def _image(photo: Photo, photo_url: Callable[[Photo], str]) -> str:
    caption = _line(photo.caption)
    caption = caption.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"![{caption}]({photo_url(photo)})"


def year_bundle(post: Year, viewer, *, private: bool = False) -> tuple[str, dict[str, str]]:
    """The post in Markdown with its photos beside it: the text, whose image links are
    `photos/<name>`, and those files (member name -> storage name of the site's JPEG).

    The names are readable and unique: a number in the post's order, then the entry's
    title ("photos/03-spring-trip.jpg"), so a folder of them sorts as the post does.
    """
    names: dict[int, str] = {}
    files: dict[str, str] = {}

    def member(photo: Photo) -> str:
        if photo.pk not in names:
            title = slugify(photo.entry.title, allow_unicode=True)[:60] or "photo"
            names[photo.pk] = f"photos/{len(names) + 1:02d}-{title}.jpg"
            files[names[photo.pk]] = photo.image.name
        return names[photo.pk]

    text = year_markdown(post, viewer, member, private=private)
    return text, {name: stored for name, stored in files.items() if default_storage.exists(stored)}
