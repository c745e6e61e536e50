"""The task queue's app (django-tasks-db) under a name staff read in their language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks_db.apps import TasksAppConfig

# django-tasks-db ships no Korean: the labels the admin shows most are translated here.
ADMIN_LABELS = (
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("priority"),
    gettext_noop("queue name"),
)


class TaskQueueConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
