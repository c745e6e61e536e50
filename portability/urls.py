from __future__ import annotations

from django.urls import path

from .views import archive, markdown_export, markdown_import

app_name = "portability"
urlpatterns = [
    path("years/import/", markdown_import.markdown_import, name="markdown_import"),
    path("years/import/save/", markdown_import.markdown_import_save, name="markdown_import_save"),
    path("years/import/series/", markdown_import.series_import, name="series_import"),
    path(
        "years/import/series/save/",
        markdown_import.series_import_save,
        name="series_import_save",
    ),
    path("years/import/journal/", markdown_import.journal_import, name="journal_import"),
    path(
        "years/import/cancel/",
        markdown_import.markdown_import_cancel,
        name="markdown_import_cancel",
    ),
    path(
        "@<str:username>/<int:year>/import/undo/",
        markdown_import.markdown_import_undo,
        name="markdown_import_undo",
    ),
    path(
        "@<str:username>/<int:year>/export.md",
        markdown_export.year_export_md,
        name="year_export_md",
    ),
    path(
        "@<str:username>/<int:year>/export.zip",
        markdown_export.year_export_zip,
        name="year_export_zip",
    ),
    path("accounts/profile/archive.zip", archive.archive_export, name="archive_export"),
    path("accounts/profile/import/", archive.archive_import, name="archive_import"),
]
