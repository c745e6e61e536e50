"""Where uploads are kept: deleting files with their rows, and writes that fail cleanly."""

from __future__ import annotations

import contextlib
import errno
import os
from functools import partial

from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.tasks import task


def delete_file_on_commit(file: FieldFile) -> None:
    """Remove a stored file once the row that pointed at it is gone for good.

    Waiting for the commit keeps the file when the deletion is rolled back.
    """
    if file and file.name:
        delete_files_on_commit([file.name])


def delete_files_on_commit(names: list[str]) -> None:
    """Remove files of the media storage once the deletion commits, by the task worker: with
    object storage each file is a request, which a page should not wait for."""
    transaction.on_commit(partial(delete_stored_files.enqueue, names))


@task
def delete_stored_files(names: list[str]) -> None:
    delete_files(default_storage, names)


def delete_files(storage: Storage, names: list[str]) -> None:
    """Remove stored files at once: those written by work that was rolled back."""
    for name in names:
        storage.delete(name)


def is_storage_full(error: BaseException) -> bool:
    """A write refused for want of room: the disk is full, or the user's quota is."""
    return isinstance(error, OSError) and error.errno in {errno.ENOSPC, errno.EDQUOT}


class MediaStorage(FileSystemStorage):
    """The media root, where a file that could not be written whole leaves nothing behind.

    Django's file system storage keeps what it wrote of a file when the disk fills up.
    """

    def _save(self, name: str, content) -> str:
        try:
            return super()._save(name, content)
        except OSError as error:
            # save() chose `name` because it was free, so what is there is this write's.
            if not isinstance(error, FileExistsError):
                with contextlib.suppress(OSError):
                    os.remove(self.path(name))
            raise
