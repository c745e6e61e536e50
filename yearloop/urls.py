"""The site's root URLconf: the project's own addresses, then each app's."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts import views as account_views
from api import api
from planner.views import app, feeds, health

auth_patterns = [
    # Django's own auth views and names, answering a refused form with 422.
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.LogoutView.as_view(), name="logout"),
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
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("sw.js", app.service_worker, name="service_worker"),
    path("offline/", app.offline, name="offline"),
    path("robots.txt", feeds.robots_txt, name="robots_txt"),
    path("sitemap.xml", feeds.sitemap_xml, name="sitemap"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include(auth_patterns)),
    path("accounts/tokens/", include("api.urls")),
    path("api/v1/", api.urls()),
    re_path(r"^api/(?P<rest>.*)$", api.not_found),
    path("", include("planner.urls")),
    path("", include("portability.urls")),
    path("", include("readers.urls")),
]

handler400 = "yearloop.errors.bad_request"
