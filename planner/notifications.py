"""E-mail about comments: the post's owner hears of new comments and replies, and a
comment's author of the replies to it (to a reply too, through `reply_to`) — never the
commenter, and only those who want it (`email_on_comments`, and each kind's own switch:
readers/notify.py `wants_email`)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from readers.notifications import Kind
from readers.notify import wants_email
from yearloop.site import absolute_url

from .models import Comment
from .tasks import one_line, queue_email


def people_to_tell(comment: Comment) -> list[tuple[User, bool]]:
    """Who gets a mail about this comment, each with whether it answers their own comment."""
    candidates = []
    answered = comment.reply_to if comment.reply_to_id else comment.parent
    if answered is not None and answered.author_id:
        candidates.append((answered.author, True))
    candidates.append((comment.year.owner, False))
    people, seen = [], {comment.author_id}
    for person, is_reply in candidates:
        kind = Kind.REPLY if is_reply else Kind.COMMENT
        if person.pk in seen or not wants_email(person, kind):
            continue
        seen.add(person.pk)
        if person.email:
            people.append((person, is_reply))
    return people


def comment_email(comment: Comment, person: User, is_reply: bool) -> dict:
    """The arguments of `queue_email` for one person."""
    names = {"name": comment.author_name, "title": comment.year.display_title}
    if is_reply:
        subject = _("%(name)s replied to your comment on “%(title)s”") % names
    else:
        subject = _("%(name)s commented on “%(title)s”") % names
    subject = one_line(subject)
    context = {
        "comment": comment,
        "person": person,
        "is_reply": is_reply,
        "subject": subject,
        "link": absolute_url(reverse("planner:comment_link", args=[comment.pk])),
        "settings_url": absolute_url(reverse("accounts:profile_edit")),
    }
    return {
        "to": [person.email],
        "subject": subject,
        "text": render_to_string("planner/email/comment_notice.txt", context),
        "html": render_to_string("planner/email/comment_notice.html", context),
    }


def notify_of_comment_on_commit(comment: Comment) -> None:
    """Queue the mails about a new comment, to go out once it is committed."""
    # Each mail is written in its reader's language: the request's is the commenter's.
    emails = []
    for person, is_reply in people_to_tell(comment):
        with translation.override(person.mail_language):
            emails.append(comment_email(comment, person, is_reply))
    for email in emails:
        queue_email(**email)
