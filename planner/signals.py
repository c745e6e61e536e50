from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.tasks.signals import task_finished

from yearloop.storage import delete_files_on_commit

from . import post_cache, tasks
from .models import Answer, Area, Comment, Entry, Goal, GoalUpdate, Like, Period, Photo, Year

SHOWN_ON_POSTS = [Year, Goal, GoalUpdate, Period, Entry, Photo, Answer, Comment, Like, Area]


@receiver(task_finished)
def forget_email_body(sender, task_result, **kwargs) -> None:
    tasks.forget_email_body(task_result)


@receiver(post_delete, sender=Photo)
def delete_photo_files(sender, instance: Photo, **kwargs) -> None:
    delete_files_on_commit(instance.stored_names())


def post_changed(sender, instance, **kwargs) -> None:
    post_cache.changed(instance)


def post_part_deleted(sender, instance, origin=None, **kwargs) -> None:
    # What goes with something deleted (a year's comments, an entry's photos) leaves it to
    # the deleted thing to say what changed: one update instead of one per row.
    deleted_itself = origin is instance or (isinstance(origin, QuerySet) and origin.model is sender)
    if deleted_itself:
        post_cache.changed(instance)


for model in SHOWN_ON_POSTS:
    post_save.connect(post_changed, sender=model, dispatch_uid=f"post_cache_save_{model.__name__}")
    post_delete.connect(
        post_part_deleted, sender=model, dispatch_uid=f"post_cache_delete_{model.__name__}"
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def author_changed(sender, instance, update_fields=None, **kwargs) -> None:
    """A name, bio or avatar shows on the person's posts and beside their comments."""
    if update_fields is not None and set(update_fields) <= {
        "last_login",
        "password",
        "browser_language",
    }:
        return
    post_cache.changed(instance)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def author_deleted(sender, instance, **kwargs) -> None:
    # Before the rows go: their comments on other people's posts disappear with them.
    post_cache.changed(instance)
