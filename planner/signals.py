from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .files import delete_files_on_commit
from .models import Photo


@receiver(post_delete, sender=Photo)
def delete_photo_files(sender, instance: Photo, **kwargs) -> None:
    delete_files_on_commit(instance.image.storage, instance.stored_names())
