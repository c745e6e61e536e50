"""A starting text for a year's overall retrospective, assembled from the year's own data.

The same data always gives the same Markdown, written in the owner's language. Only what
readers may see goes in (no private goal or entry): the draft is meant to be published.
See docs/decisions/review-draft.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .models import Area, Entry, Goal, Photo, Year

MOST_READ_LIMIT = 3


@dataclass(frozen=True)
class YearFigures:
    """A year's counts, for comparing it with the one before."""

    reached: int
    goals: int
    entries: int
    areas: tuple[str, ...]  # the names of the areas covered, in the owner's order


def figures(post: Year | None) -> YearFigures | None:
    """`post`'s public counts; area names in the active language (defaults are translated)."""
    if post is None:
        return None
    goals = Goal.objects.filter(year=post, is_private=False).aggregate(
        total=Count("pk"), reached=Count("pk", filter=Q(done=True))
    )
    entries = Entry.objects.filter(period__year=post, is_private=False).count()
    return YearFigures(
        reached=goals["reached"], goals=goals["total"], entries=entries, areas=areas_covered(post)
    )


def areas_covered(post: Year) -> tuple[str, ...]:
    """The owner's areas holding at least one public goal or entry of `post`."""
    public_goal = Goal.objects.filter(area=OuterRef("pk"), year=post, is_private=False)
    public_entry = Entry.objects.filter(area=OuterRef("pk"), period__year=post, is_private=False)
    areas = Area.objects.filter(owner_id=post.owner_id).filter(
        Exists(public_goal) | Exists(public_entry)
    )
    return tuple(area.label for area in areas.order_by("order", "id"))


def review_draft(post: Year) -> str:
    """The draft of `post`'s overall retrospective, in Markdown, in its owner's language."""
    goals = list(Goal.objects.filter(year=post, is_private=False))
    entries = Entry.objects.filter(period__year=post, is_private=False)
    most_read = list(
        entries.filter(reads__gt=0).order_by("-reads", "period__index", "order")[:MOST_READ_LIMIT]
    )
    photos = Photo.objects.filter(entry__in=entries).select_related("entry__period")
    first_photos: dict[int, Photo] = {}
    for photo in photos.order_by("entry__period__index", "entry__order", "entry_id", "order"):
        first_photos.setdefault(photo.entry.period.index, photo)
    previous = Year.objects.filter(owner_id=post.owner_id, year=post.year - 1).first()
    # The language the owner chose, else the one they are reading the site in.
    language = post.owner.language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        parts = [
            _goals_part(goals),
            _figures_part(goals),
            _most_read_part(most_read),
            _photos_part(first_photos),
            _comparison_part(post, figures(post), figures(previous)),
            _carried_part(goals),
        ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _goal_line(goal: Goal) -> str:
    note = " ".join(goal.note.split())
    return f"- **{goal.title}**" + (f" — {note}" if note else "")


def _goals_part(goals: list[Goal]) -> str:
    reached = [goal for goal in goals if goal.done]
    missed = [goal for goal in goals if not goal.done]
    lines = [
        "### "
        + _("Goals: %(reached)s of %(total)s reached")
        % {"reached": len(reached), "total": len(goals)}
    ]
    if reached:
        lines += ["", _("Reached:"), "", *map(_goal_line, reached)]
    if missed:
        lines += ["", _("Not reached:"), "", *map(_goal_line, missed)]
    return "\n".join(lines)


def _number(value) -> str:
    return format(value.normalize(), "f")


def _figures_part(goals: list[Goal]) -> str:
    measured = [goal for goal in goals if goal.is_measurable]
    if not measured:
        return ""
    lines = ["### " + _("In figures"), ""]
    for goal in measured:
        start = goal.start_value if goal.start_value is not None else Decimal(0)
        end = goal.progress if goal.progress is not None else start
        lines.append(
            "- "
            + _("%(goal)s: %(start)s → %(end)s %(unit)s (target %(target)s)")
            % {
                "goal": goal.title,
                "start": _number(start),
                "end": _number(end),
                "unit": goal.unit,
                "target": _number(goal.target),
            }
        )
    return "\n".join(line.replace("  (", " (") for line in lines)


def _most_read_part(entries: list[Entry]) -> str:
    if not entries:
        return ""
    lines = ["### " + _("Most read"), ""]
    for entry in entries:
        reads = ngettext("%(count)s read", "%(count)s reads", entry.reads) % {"count": entry.reads}
        lines.append(f"- **{entry.title}** ({reads})")
    return "\n".join(lines)


def _photos_part(first_photos: dict[int, Photo]) -> str:
    if not first_photos:
        return ""
    lines = ["### " + _("One photo per period"), ""]
    for _period, photo in sorted(first_photos.items()):
        caption = f"“{photo.caption}” " if photo.caption else ""
        where = _("from “%(entry)s”") % {"entry": photo.entry.title}
        lines.append(f"- {photo.entry.period.label}: {caption}({where})")
    return "\n".join(lines)


def _comparison_part(post: Year, this: YearFigures | None, last: YearFigures | None) -> str:
    if this is None or last is None:
        return ""
    values = {"year": post.year, "last_year": post.year - 1}
    return "\n".join(
        [
            "### " + _("%(year)s next to %(last_year)s") % values,
            "",
            "- "
            + _(
                "Goals reached: %(reached)s of %(goals)s "
                "(%(last_year)s: %(last_reached)s of %(last_goals)s)"
            )
            % {
                **values,
                "reached": this.reached,
                "goals": this.goals,
                "last_reached": last.reached,
                "last_goals": last.goals,
            },
            "- "
            + _("Entries written: %(entries)s (%(last_year)s: %(last_entries)s)")
            % {**values, "entries": this.entries, "last_entries": last.entries},
            *_areas_line(values, this.areas, last.areas),
        ]
    )


def _areas_line(values: dict, this: tuple[str, ...], last: tuple[str, ...]) -> list[str]:
    if not this and not last:
        return []  # a person who does not sort into areas is not told about them
    return [
        "- "
        + _("Areas covered: %(areas)s (%(last_year)s: %(last_areas)s)")
        % {**values, "areas": _names(this), "last_areas": _names(last)}
    ]


def _names(labels: tuple[str, ...]) -> str:
    return ", ".join(labels) if labels else pgettext("areas covered", "none")


def _carried_part(goals: list[Goal]) -> str:
    carried = [goal for goal in goals if goal.carried_from_id is not None]
    if not carried:
        return ""
    lines = ["### " + _("Set again"), ""]
    for goal in carried:
        lines.append(
            "- " + _("%(goal)s — %(try)s try") % {"goal": goal.title, "try": goal.attempt_ordinal}
        )
    return "\n".join(lines)
