from __future__ import annotations

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile


def delete_file_on_commit(file: FieldFile) -> None:
    """Remove a stored file once the row that pointed at it is gone for good.

    Waiting for the commit keeps the file when the deletion is rolled back.
    """
    if file and file.name:
        delete_files_on_commit(file.storage, [file.name])


def delete_files_on_commit(storage: Storage, names: list[str]) -> None:
    transaction.on_commit(lambda: delete_files(storage, names))


def delete_files(storage: Storage, names: list[str]) -> None:
    """Remove stored files at once: those written by work that was rolled back."""
    for name in names:
        storage.delete(name)
