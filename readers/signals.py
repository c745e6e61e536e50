"""What readers hear of: receivers of the planner's events."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from planner.models import Comment, Like, Year
from planner.publication import post_published

from . import notify
from .tasks import announce_post, tell_followers

# --- E-mail subscriptions ----------------------------------------------------------------


@receiver(post_published, dispatch_uid="readers_announce_by_email")
def announce_by_email(sender, post, **kwargs) -> None:
    """Sent once the publishing transaction committed: the worker mails the subscribers."""
    announce_post.enqueue(post_id=post.pk)


# --- End of e-mail subscriptions ---------------------------------------------------------


@receiver(post_save, sender=Comment, dispatch_uid="readers_notify_of_comment")
def comment_saved(sender, instance: Comment, created: bool, raw: bool = False, **kwargs) -> None:
    # Stored in the comment's own transaction: a comment rolled back tells no one. Comments
    # brought in by an archive without an account here have no author to name.
    if created and not raw and instance.author_id:
        notify.notify_of_comment(instance)


@receiver(post_save, sender=Like, dispatch_uid="readers_notify_of_like")
def like_saved(sender, instance: Like, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        notify.notify_of_like(instance)


@receiver(post_published, sender=Year, dispatch_uid="readers_notify_of_new_post")
def post_first_published(sender, post: Year, **kwargs) -> None:
    """Sent once the publishing transaction committed: the worker tells the followers."""
    tell_followers.enqueue(post_id=post.pk)
