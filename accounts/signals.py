from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import get_language_from_request

from yearloop.storage import delete_file_on_commit

from .models import User


@receiver(post_delete, sender=User)
def delete_avatar_file(sender, instance: User, **kwargs) -> None:
    delete_file_on_commit(instance.avatar)


@receiver(user_logged_in)
def remember_browser_language(sender, request, user: User, **kwargs) -> None:
    language = get_language_from_request(request)
    if user.browser_language != language:
        user.browser_language = language
        user.save(update_fields=["browser_language"])
