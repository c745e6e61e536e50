"""Images uploaded with a Markdown post, kept between its preview and its save.

They sit in storage under `imports/<token>/`, where the token is random and remembered
in the uploader's session, so only that session can use or see them; no Photo exists
until the post is saved. A draft is deleted on save and on cancel, and `purge_deleted`
removes any left for more than a day.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import secrets
from urllib.parse import unquote, urlsplit

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import get_valid_filename

FOLDER = "imports"
MAX_AGE = datetime.timedelta(days=1)
SESSION_KEY = "markdown_import_drafts"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")


def start(session) -> str:
    token = secrets.token_urlsafe(24)
    # A few drafts per session (one per open import tab); the oldest is forgotten first.
    session[SESSION_KEY] = [*session.get(SESSION_KEY, [])[-4:], token]
    return token


def is_owned(session, token: str) -> bool:
    return bool(_TOKEN.fullmatch(token or "")) and token in session.get(SESSION_KEY, [])


def _folder(token: str) -> str:
    return f"{FOLDER}/{token}"


def file_key(name: str) -> str:
    """How a file name is compared: the last part of a path or URL, as storage would name it."""
    base = unquote(urlsplit(name).path).replace("\\", "/").rsplit("/", 1)[-1]
    try:
        return get_valid_filename(base).lower()
    except SuspiciousFileOperation:
        return ""


def names(token: str) -> list[str]:
    """The names of the draft's files, as uploaded (made safe for storage)."""
    try:
        return sorted(default_storage.listdir(_folder(token))[1])
    except FileNotFoundError:
        return []


def add(token: str, upload: UploadedFile) -> str:
    """Keep an upload; one with the same name as an earlier one replaces it."""
    name = file_key(upload.name) or "image"
    path = f"{_folder(token)}/{name}"
    default_storage.delete(path)
    upload.seek(0)
    default_storage.save(path, upload)
    return name


def open_file(token: str, name: str) -> File:
    return File(default_storage.open(f"{_folder(token)}/{name}"), name=name)


def discard(session, token: str) -> None:
    if is_owned(session, token):
        _delete(token)
        session[SESSION_KEY] = [kept for kept in session.get(SESSION_KEY, []) if kept != token]


def _delete(token: str) -> None:
    for name in names(token):
        default_storage.delete(f"{_folder(token)}/{name}")
    # The empty folder too, where storage is a file system.
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(_folder(token)))


def purge_stale(*, dry_run: bool = False) -> int:
    """Delete drafts whose files are all older than a day; return how many."""
    try:
        tokens = default_storage.listdir(FOLDER)[0]
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - MAX_AGE
    stale = [
        token
        for token in tokens
        if all(
            default_storage.get_modified_time(f"{_folder(token)}/{name}") < cutoff
            for name in names(token)
        )
    ]
    if not dry_run:
        for token in stale:
            _delete(token)
    return len(stale)
