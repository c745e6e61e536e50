"""Archives for the tests: a person's real export, and zips rewritten or made by hand."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from portability.archive import DOCUMENT_NAME, archive_chunks


def export_bytes(user) -> bytes:
    return b"".join(archive_chunks(user))


def document_of(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return json.loads(archive.read(DOCUMENT_NAME))


def rewritten(data: bytes, replace: dict[str, bytes] | None = None, drop=()) -> bytes:
    """The archive with some members replaced or left out."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename in drop:
                continue
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
    return out.getvalue()


def with_document(data: bytes, change) -> bytes:
    """The archive with its JSON document changed by `change(document)`."""
    document = document_of(data)
    change(document)
    return rewritten(data, {DOCUMENT_NAME: json.dumps(document).encode()})


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def upload(data: bytes, name: str = "yearloop.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def with_avatar(data: bytes, avatar: bytes) -> bytes:
    """The archive with `avatar` as its profile photo."""
    document = document_of(data)
    document["user"]["avatar"] = "avatar.jpg"
    data = rewritten(data, {DOCUMENT_NAME: json.dumps(document).encode()}, drop={"avatar.jpg"})
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("avatar.jpg", avatar)
    return out.getvalue()
