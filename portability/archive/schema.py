"""The archive's format: its version, file names, limits and the fields it carries."""

from __future__ import annotations

# The version goes up when the document gains something that a site reading the older
# version would import without, losing it silently, or would read differently: that site then
# refuses the archive as made by a newer Yearloop. Every older version stays readable here,
# what it did not carry being imported as nothing. 1: the first format. 2: life areas (and
# each goal's and entry's), own questions and answers to guided questions.
SCHEMA_VERSION = 2
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
# Since version 2. Areas and own questions have no id of their own: the archive names them
# by a reference (`ref`, "area-1", "question-1") that goals, entries and answers point to.
AREA_FIELDS = ("name", "default", "order")
OWN_QUESTION_FIELDS = ("question_set", "text")
ANSWER_FIELDS = ("place", "question_key", "text", "shown_in_post", "order")
REF_MAX_LENGTH = 40


class ArchiveError(Exception):
    """An archive refused, with the reason in words for the person who sent it."""
