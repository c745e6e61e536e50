from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Entry, Goal, Period, Photo, Year


def thumbnail(photo: Photo) -> str:
    if not photo.image:
        return "—"
    return format_html('<img src="{}" alt="" width="80">', photo.image.url)


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


class PeriodInline(admin.StackedInline):
    model = Period
    fields = ["index", "retrospective"]
    readonly_fields = ["index"]
    extra = 0
    max_num = 3
    can_delete = False
    show_change_link = True


class EntryInline(admin.StackedInline):
    model = Entry
    fields = ["order", "title", "body", "is_private"]
    extra = 0
    show_change_link = True


class PhotoInline(admin.TabularInline):
    model = Photo
    fields = ["preview", "image", "caption", "order", "width", "height"]
    readonly_fields = ["preview", "width", "height"]
    extra = 0

    @admin.display(description=_("preview"))
    def preview(self, photo: Photo) -> str:
        return thumbnail(photo)


@admin.register(Year)
class YearAdmin(admin.ModelAdmin):
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
        count = queryset.exclude(deleted_at=None).update(deleted_at=None)
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
    raw_id_fields = ["year"]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "index"]
    list_filter = ["index", "year__year"]
    search_fields = ["year__owner__username", "retrospective"]
    list_select_related = ["year__owner"]
    readonly_fields = ["year", "index"]
    inlines = [EntryInline]

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
    raw_id_fields = ["period"]
    inlines = [PhotoInline]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["preview", "caption", "entry", "width", "height"]
    search_fields = ["caption", "entry__title", "entry__period__year__owner__username"]
    list_select_related = ["entry__period__year__owner"]
    raw_id_fields = ["entry"]
    readonly_fields = ["preview", "width", "height"]

    @admin.display(description=_("preview"))
    def preview(self, photo: Photo) -> str:
        return thumbnail(photo)
