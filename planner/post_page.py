"""What the post page loads, in a fixed number of queries; the Markdown export reads the same."""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects

from .models import Answer, Entry, Goal, Period, Photo, Year

CARRIED_TO = Prefetch("carried_to", queryset=Goal.objects.select_related("year__owner"))


def prefetch_post(
    post: Year,
    viewer,
    *,
    with_deleted_entries: bool = False,
    next_post: Year | None = None,
    with_answers: bool = True,
) -> None:
    """Load what the post page shows `viewer`: goals (also of `next_post`, in the same
    query), periods, entries and their photos, and (`with_answers`) the answers shown in
    the post, the same for everyone: hidden ones are in no one's post, the owner's neither."""
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
    goals = (
        Goal.objects.visible_to(viewer, owner)
        .select_related("carried_from__year__owner")
        .prefetch_related("updates")
    )
    if viewer == owner:  # where each goal was set again, for its owner
        goals = goals.prefetch_related(CARRIED_TO)
    prefetch_related_objects(
        [item for item in (post, next_post) if item], Prefetch("goals", queryset=goals)
    )
    prefetch_related_objects(
        [post], Prefetch("periods", queryset=Period.objects.prefetch_related(*period_lookups))
    )
    if with_answers:
        answers = Answer.objects.shown().exclude(text="").select_related("own_question")
        prefetch_related_objects([post], Prefetch("answers", answers, to_attr="shown_answers"))


def next_post_of(post: Year, viewer) -> Year | None:
    """The owner's following year, if `viewer` may read it, with the goals they may see."""
    return (
        Year.objects.readable_by(viewer)
        .filter(owner=post.owner, year=post.year + 1)
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.visible_to(viewer, post.owner)))
        .first()
    )
