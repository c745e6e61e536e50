"""Ordered lists the owner rearranges: goals in a year, entries in a period, photos in an entry."""

from __future__ import annotations

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


def reorder(items: list, wanted: list[str]) -> bool:
    """Put the items in the order of the ids given; refuse (False) unless those are exactly
    the items' ids, as when another tab added, deleted or moved one meanwhile."""
    by_id = {str(item.pk): item for item in items}
    if sorted(wanted) != sorted(by_id):
        return False
    save_order([by_id[pk] for pk in wanted])
    return True
