"""The manifest of a backup, and the check of every file against it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason in words."""


def write_manifest(folder: Path, **facts) -> dict:
    """List every file of `folder` with its size and checksum, beside `facts`."""
    manifest = {"format": MANIFEST_FORMAT, **facts, "files": file_entries(folder)}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def file_entries(folder: Path) -> list[dict]:
    return [
        {
            "path": path.relative_to(folder).as_posix(),
            "size": path.stat().st_size,
            "sha256": sha256_of(path),
        }
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]


def sha256_of(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise BackupError(
            f"{path} is missing: {folder} is not a backup, or one that was never finished."
        )
    try:
        manifest = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"{path} is damaged: it is not JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{path} is not a manifest this version of Yearloop reads.")
    return manifest


def verify_files(folder: Path, manifest: dict) -> None:
    """Raise BackupError naming the first file that is missing, cut short or changed."""
    for entry in manifest["files"]:
        path = folder / entry["path"]
        if not path.resolve().is_relative_to(folder.resolve()):
            raise BackupError(f"The manifest names a file outside the backup: {entry['path']}.")
        if not path.is_file():
            raise BackupError(f"{path} is missing: the backup is incomplete.")
        if path.stat().st_size != entry["size"]:
            raise BackupError(
                f"{path} is damaged: {path.stat().st_size:,} bytes, the manifest says "
                f"{entry['size']:,}."
            )
        if sha256_of(path) != entry["sha256"]:
            raise BackupError(f"{path} is damaged: its SHA-256 differs from the manifest's.")
