from __future__ import annotations

from django.db import transaction
from django.db.models.fields.files import FieldFile


def delete_file_on_commit(file: FieldFile) -> None:
    """Remove a stored file once the row that pointed at it is gone for good.

    Waiting for the commit keeps the file when the deletion is rolled back.
    """
    if not file or not file.name:
        return
    storage, name = file.storage, file.name
    transaction.on_commit(lambda: storage.delete(name))
