from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import views as account_views

from .views import (
    carry,
    comments,
    entries,
    exports,
    feeds,
    goals,
    health,
    home,
    likes,
    md_import,
    media,
    photos,
    search,
    stats,
    texts,
    years,
)

planner_patterns = [
    path("", home.home, name="home"),
    path("years/new/", years.year_create, name="year_create"),
    path("years/import/", md_import.markdown_import, name="markdown_import"),
    path("years/import/save/", md_import.markdown_import_save, name="markdown_import_save"),
    path("years/import/cancel/", md_import.markdown_import_cancel, name="markdown_import_cancel"),
    path("search/", search.search, name="search"),
    path("stats/", stats.stats, name="stats"),
    path("@<str:username>/", years.profile, name="profile"),
    path("@<str:username>/feed/", feeds.PostFeed(), name="feed"),
    path("@<str:username>/<int:year>/", years.year_detail, name="year_detail"),
    path("@<str:username>/<int:year>/export.md", exports.year_export_md, name="year_export_md"),
    path("@<str:username>/<int:year>/edit/", years.year_edit, name="year_edit"),
    path("@<str:username>/<int:year>/delete/", years.year_delete, name="year_delete"),
    path("@<str:username>/<int:year>/like/", likes.post_like, name="post_like"),
    path("@<str:username>/<int:year>/comments/", comments.comment_list, name="comment_list"),
    path(
        "@<str:username>/<int:year>/comments/new/",
        comments.comment_create,
        name="comment_create",
    ),
    path(
        "@<str:username>/<int:year>/comments/toggle/",
        comments.comments_toggle,
        name="comments_toggle",
    ),
    path("comments/<int:comment_id>/", comments.comment_link, name="comment_link"),
    path("comments/<int:comment_id>/edit/", comments.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", comments.comment_delete, name="comment_delete"),
    path("@<str:username>/<int:year>/goals/new/", goals.goal_create, name="goal_create"),
    path("@<str:username>/<int:year>/goals/order/", goals.goal_reorder, name="goal_reorder"),
    path("@<str:username>/<int:year>/carry-over/", carry.carry_over, name="carry_over"),
    path(
        "@<str:username>/<int:year>/texts/<slug:field>/edit/",
        texts.year_text_edit,
        name="year_text_edit",
    ),
    path(
        "@<str:username>/<int:year>/texts/<slug:field>/autosave/",
        texts.year_text_autosave,
        name="year_text_autosave",
    ),
    path(
        "@<str:username>/<int:year>/periods/<int:index>/edit/",
        texts.period_edit,
        name="period_edit",
    ),
    path(
        "@<str:username>/<int:year>/periods/<int:index>/autosave/",
        texts.period_autosave,
        name="period_autosave",
    ),
    path(
        "@<str:username>/<int:year>/periods/<int:index>/entries/new/",
        entries.entry_create,
        name="entry_create",
    ),
    path(
        "@<str:username>/<int:year>/periods/<int:index>/entries/order/",
        entries.entry_reorder,
        name="entry_reorder",
    ),
    path("goals/<int:goal_id>/edit/", goals.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/toggle/", goals.goal_toggle, name="goal_toggle"),
    path("goals/<int:goal_id>/delete/", goals.goal_delete, name="goal_delete"),
    path("goals/<int:goal_id>/restore/", goals.goal_restore, name="goal_restore"),
    path("goals/<int:goal_id>/note/", goals.goal_note, name="goal_note"),
    path("goals/<int:goal_id>/note/edit/", goals.goal_note_edit, name="goal_note_edit"),
    path("goals/<int:goal_id>/updates/", goals.goal_update_create, name="goal_update_create"),
    path("goals/<int:goal_id>/move/", goals.goal_move, name="goal_move"),
    path("goals/<int:goal_id>/privacy/", goals.goal_privacy, name="goal_privacy"),
    path("entries/<int:entry_id>/edit/", entries.entry_edit, name="entry_edit"),
    path("entries/<int:entry_id>/delete/", entries.entry_delete, name="entry_delete"),
    path("entries/<int:entry_id>/restore/", entries.entry_restore, name="entry_restore"),
    path("entries/<int:entry_id>/move/", entries.entry_move, name="entry_move"),
    path("entries/<int:entry_id>/privacy/", entries.entry_privacy, name="entry_privacy"),
    path("entries/<int:entry_id>/photos/new/", photos.photo_create, name="photo_create"),
    path("entries/<int:entry_id>/photos/order/", photos.photo_reorder, name="photo_reorder"),
    path("photos/<int:photo_id>/move/", photos.photo_move, name="photo_move"),
    path("photos/<int:photo_id>/edit/", photos.photo_edit, name="photo_edit"),
    path("photos/<int:photo_id>/<str:name>", media.photo_file, name="photo_file"),
    path("avatars/<str:name>", media.avatar_file, name="avatar_file"),
    path("photos/<int:photo_id>/delete/", photos.photo_delete, name="photo_delete"),
]

auth_patterns = [
    # Django's own auth views and names, answering a refused form with 422.
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("password_change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("", include("django.contrib.auth.urls")),
]

urlpatterns = [
    # Browsers and the admin ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "icon.svg"), name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", feeds.robots_txt, name="robots_txt"),
    path("sitemap.xml", feeds.sitemap_xml, name="sitemap"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include(auth_patterns)),
    path("", include((planner_patterns, "planner"))),
]
