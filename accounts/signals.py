from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver

from yearloop.storage import delete_file_on_commit

from .models import User


@receiver(post_delete, sender=User)
def delete_avatar_file(sender, instance: User, **kwargs) -> None:
    delete_file_on_commit(instance.avatar)
