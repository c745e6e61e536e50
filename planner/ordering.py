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


def move_in_place(items: list, item, direction: str, prefix: str, menu: str, title: str) -> dict:
    """Move the item, and say what the list swapped in focuses and announces: the button used
    (`<prefix>up-<pk>` or `<prefix>down-<pk>`) while it still leads somewhere, else the other
    one, else `menu`; and the item's new place, for a screen reader."""
    move(items, item, direction)
    index = items.index(item)
    up, down = f"{prefix}up-{item.pk}", f"{prefix}down-{item.pk}"
    can = {up: index > 0, down: index < len(items) - 1}
    tried = [up, down] if direction == "up" else [down, up]
    announce = _("“%(title)s” is now %(place)s of %(count)s.") % {
        "title": title,
        "place": index + 1,
        "count": len(items),
    }
    return {"focus": next((c for c in tried if can[c]), menu), "announce": announce}


def reorder(items: list, wanted: list[str]) -> bool:
    """Put the items in the order of the ids given; refuse (False) unless those are exactly
    the items' ids, as when another tab added, deleted or moved one meanwhile."""
    by_id = {str(item.pk): item for item in items}
    if sorted(wanted) != sorted(by_id):
        return False
    save_order([by_id[pk] for pk in wanted])
    return True
