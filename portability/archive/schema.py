"""The archive's format: its version, file names, limits and the fields it carries."""

from __future__ import annotations

SCHEMA_VERSION = 1
DOCUMENT_NAME = "yearloop.json"
DOCUMENT_MAX_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 20_000
# A photo or a JSON document packs down to a half at most; a thousand to one is a bomb.
MAX_RATIO = 100
RATIO_CHECKED_ABOVE = 1024 * 1024
USER_FIELDS = ("display_name", "bio", "email_on_comments", "email_reminders")
USER_FIELDS += ("keep_original_photos",)
YEAR_FIELDS = ("title", "intro", "summary", "visibility", "published_at", "comments_closed")
GOAL_FIELDS = (
    "title",
    "done",
    "done_at",
    "note",
    "target",
    "progress",
    "unit",
    "deadline",
    "progress_kind",
    "start_value",
    "direction",
    "is_private",
    "attempt",
    "ticked_by_hand",
    "let_go",
    "order",
    "deleted_at",
)
UPDATE_FIELDS = ("recorded_on", "value", "remark")
ENTRY_FIELDS = ("title", "body", "is_private", "reads", "order", "deleted_at")
PHOTO_FIELDS = ("caption", "order", "taken_at")
COMMENT_FIELDS = ("body", "edited_at", "removed_at")


class ArchiveError(Exception):
    """An archive refused, with the reason in words for the person who sent it."""
