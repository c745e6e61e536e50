from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from . import post_cache
from .models import Comment, DailyViews, Entry, Goal, Like, Period, Photo, Year


def thumbnail(photo: Photo) -> str:
    """The narrowest rendition, through the permission-checked view (staff may see it)."""
    if not photo.image:
        return "—"
    return format_html('<img src="{}" alt="" width="80">', photo.thumbnail_url)


class GoalInline(admin.TabularInline):
    model = Goal
    fields = [
        "order",
        "title",
        "done",
        "note",
        "target",
        "progress",
        "unit",
        "deadline",
        "is_private",
    ]
    extra = 0
    view_on_site = False  # a goal is seen on its year's page, which the year's admin links to


class PeriodInline(admin.StackedInline):
    model = Period
    fields = ["index", "retrospective"]
    readonly_fields = ["index"]
    extra = 0
    max_num = 3
    can_delete = False
    show_change_link = True
    view_on_site = False  # as for goals: the year's admin links to the page


class EntryInline(admin.StackedInline):
    model = Entry
    fields = ["order", "title", "body", "is_private"]
    extra = 0
    show_change_link = True


class PhotoInline(admin.TabularInline):
    # Photos come only through the photo pipeline (an owner's upload or import): staff
    # caption, order and delete them, and add or replace none.
    model = Photo
    fields = ["preview", "caption", "order", "width", "height"]
    readonly_fields = ["preview", "width", "height"]
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("preview"))
    def preview(self, photo: Photo) -> str:
        return thumbnail(photo)


class PlainHelpText:
    """Help texts shown as the text they are: the admin writes them out as HTML, where a
    placeholder such as “<year>” would vanish as an unknown tag."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and field.help_text:
            field.help_text = conditional_escape(field.help_text)
        return field


@admin.register(Year)
class YearAdmin(PlainHelpText, admin.ModelAdmin):
    list_display = ["year", "owner", "display_title", "visibility", "published_at"]
    list_filter = ["visibility", "year"]
    search_fields = ["title", "owner__username", "owner__display_name"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    date_hierarchy = "published_at"
    inlines = [GoalInline, PeriodInline]


class RestorableAdmin(admin.ModelAdmin):
    """Staff see what owners deleted and may still restore, and can restore it for them."""

    actions = ["restore"]

    def get_queryset(self, request):
        return self.model.all_objects.all()

    @admin.action(description=_("Restore the selected deleted items"))
    def restore(self, request, queryset) -> None:
        restored = list(queryset.exclude(deleted_at=None))
        count = self.model.all_objects.filter(pk__in=[i.pk for i in restored]).update(
            deleted_at=None
        )
        post_cache.changed_all(restored)
        self.message_user(request, _("%(count)s restored.") % {"count": count})


@admin.register(Goal)
class GoalAdmin(RestorableAdmin):
    list_display = ["title", "year", "done", "done_at", "is_private", "deleted_at"]
    list_filter = [
        "done",
        "is_private",
        ("deleted_at", admin.EmptyFieldListFilter),
        "year__year",
        "year__visibility",
    ]
    search_fields = ["title", "note", "year__owner__username"]
    list_select_related = ["year__owner"]
    raw_id_fields = ["year", "area"]  # an id: no list of everyone's areas
    view_on_site = False


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "index"]
    list_filter = ["index", "year__year"]
    search_fields = ["year__owner__username", "retrospective"]
    list_select_related = ["year__owner"]
    readonly_fields = ["year", "index"]
    inlines = [EntryInline]
    view_on_site = False

    def has_add_permission(self, request) -> bool:
        return False  # periods come with their year, three of them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(RestorableAdmin):
    list_display = ["title", "period", "is_private", "updated_at", "deleted_at"]
    list_filter = [
        "is_private",
        ("deleted_at", admin.EmptyFieldListFilter),
        "period__index",
        "period__year__year",
    ]
    search_fields = ["title", "body", "period__year__owner__username"]
    list_select_related = ["period__year__owner"]
    raw_id_fields = ["period", "area"]
    inlines = [PhotoInline]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["preview", "caption", "entry", "width", "height"]
    search_fields = ["caption", "entry__title", "entry__period__year__owner__username"]
    list_select_related = ["entry__period__year__owner"]
    raw_id_fields = ["entry"]
    fields = ["preview", "entry", "caption", "order", "taken_at", "width", "height"]
    readonly_fields = ["preview", "width", "height"]

    def has_add_permission(self, request) -> bool:
        return False  # see PhotoInline

    @admin.display(description=_("preview"))
    def preview(self, photo: Photo) -> str:
        return thumbnail(photo)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Figures written by the site itself: staff read them and may delete, never edit."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Like)
class LikeAdmin(ReadOnlyAdmin):
    list_display = ["year", "user", "created_at"]
    list_filter = ["created_at", "year__visibility", "year__year"]
    search_fields = ["user__username", "year__owner__username"]
    list_select_related = ["year__owner", "user"]
    date_hierarchy = "created_at"


@admin.register(DailyViews)
class DailyViewsAdmin(ReadOnlyAdmin):
    list_display = ["year", "day", "count"]
    list_filter = ["day", "year__visibility", "year__year"]
    search_fields = ["year__owner__username"]
    list_select_related = ["year__owner"]
    date_hierarchy = "day"


class RemovedFilter(admin.SimpleListFilter):
    title = _("removed")
    parameter_name = "removed"

    def lookups(self, request, model_admin):
        return [("yes", _("Removed")), ("no", _("Shown"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(removed_at=None)
        if self.value() == "no":
            return queryset.filter(removed_at=None)
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Staff moderate comments: remove (the thread keeps a placeholder) or restore them."""

    list_display = ["excerpt", "author", "year", "parent", "created_at", "edited_at", "removed_at"]
    list_filter = [RemovedFilter, "year__year", "year__visibility", "created_at"]
    search_fields = ["body", "author__username", "author__display_name", "year__owner__username"]
    list_select_related = ["author", "year__owner", "parent__author", "parent__year__owner"]
    raw_id_fields = ["year", "author", "parent", "reply_to"]
    readonly_fields = ["created_at", "edited_at", "removed_at", "removed_by", "pinned_at"]
    date_hierarchy = "created_at"
    actions = ["remove", "restore"]

    def has_add_permission(self, request) -> bool:
        return False  # comments are written by readers on the post

    @admin.display(description=_("comment"))
    def excerpt(self, comment: Comment) -> str:
        return comment.body[:80]

    @admin.action(description=_("Remove the selected comments"))
    def remove(self, request, queryset) -> None:
        removed = list(queryset.filter(removed_at=None))
        count = Comment.objects.filter(pk__in=[c.pk for c in removed]).update(
            removed_at=timezone.now(), removed_by=request.user, pinned_at=None
        )
        post_cache.changed_all(removed)
        self.message_user(request, _("%(count)s removed.") % {"count": count})

    @admin.action(description=_("Restore the selected comments"))
    def restore(self, request, queryset) -> None:
        restored = list(queryset.exclude(removed_at=None))
        count = Comment.objects.filter(pk__in=[c.pk for c in restored]).update(
            removed_at=None, removed_by=None
        )
        post_cache.changed_all(restored)
        self.message_user(request, _("%(count)s restored.") % {"count": count})


class TaskResultAdmin(DBTaskResultAdmin):
    """The task queue, with whom each mail was for and its subject beside the task."""

    list_display = [
        "task_name",
        "mail_to",
        "mail_subject",
        "status",
        "enqueued_at",
        "finished_at",
    ]
    search_fields = ["args_kwargs"]

    @admin.display(description=_("to"))
    def mail_to(self, task: DBTaskResult) -> str:
        return ", ".join(task.args_kwargs.get("kwargs", {}).get("to", [])) or "—"

    @admin.display(description=_("subject"))
    def mail_subject(self, task: DBTaskResult) -> str:
        return task.args_kwargs.get("kwargs", {}).get("subject", "—")


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
