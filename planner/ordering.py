"""Ordered lists the owner rearranges: goals in a year, entries in a period, photos in an entry."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import post_cache


def save_order(items: list) -> None:
    """Number the items 1, 2, 3… in the order given, writing those that moved in one query."""
    moved = []
    for position, item in enumerate(items, start=1):
        if item.order != position:
            item.order = position
            moved.append(item)
    if moved:
        type(moved[0])._base_manager.bulk_update(moved, ["order"])
        post_cache.changed(moved[0])  # bulk_update sends no signals


def move(items: list, item, direction: str) -> None:
    """Swap an item with its neighbour above ("up") or below; nothing at either end."""
    index = items.index(item)
    step = -1 if direction == "up" else 1
    if 0 <= index + step < len(items):
        items[index], items[index + step] = items[index + step], items[index]
        save_order(items)


def focus_after_move(items: list, item, direction: str, up: str, down: str, menu: str) -> str:
    """Which control (by id) keeps the focus after a move: the button used while it still
    leads somewhere, else the other one, else the item's menu."""
    index = items.index(item)
    can = {up: index > 0, down: index < len(items) - 1}
    tried = [up, down] if direction == "up" else [down, up]
    return next((control for control in tried if can[control]), menu)


def place_announcement(items: list, item, title: str) -> str:
    """What a screen reader hears after a move."""
    return _("“%(title)s” is now %(place)s of %(count)s.") % {
        "title": title,
        "place": items.index(item) + 1,
        "count": len(items),
    }


def reorder(items: list, wanted: list[str]) -> bool:
    """Put the items in the order of the ids given; refuse (False) unless those are exactly
    the items' ids, as when another tab added, deleted or moved one meanwhile."""
    by_id = {str(item.pk): item for item in items}
    if sorted(wanted) != sorted(by_id):
        return False
    save_order([by_id[pk] for pk in wanted])
    return True
