from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from planner.views.responses import form_status
from portability.archive.form import ArchiveImportForm
from readers.notifications import NotificationPreferences
from readers.preferences import NotificationPreferencesForm
from yearloop.http import AuthedRequest

from .forms import LocalizedPasswordResetForm, ProfileForm, SignupForm


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("planner:home")
    form = SignupForm(request.POST or None)
    if form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Yearloop, %(name)s.") % {"name": user.name})
        return redirect("planner:home")
    return render(request, "registration/signup.html", {"form": form}, status=form_status(form))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile_edit(request: AuthedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    notifications_form = NotificationPreferencesForm(
        request.POST or None, instance=NotificationPreferences.of(request.user)
    )
    if form.is_valid() and notifications_form.is_valid():
        with transaction.atomic():
            form.save()
            notifications_form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile_edit")
    context = {
        "form": form,
        "notifications_form": notifications_form,
        "import_form": ArchiveImportForm(),
    }
    return render(request, "accounts/profile_form.html", context, status=form_status(form))


class RefusedFormStatusMixin:
    """Answer a refused form with 422, like every other form of the site."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


class LoginView(RefusedFormStatusMixin, auth_views.LoginView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # Pages an earlier person's installed app kept for offline reading go.
        response["Clear-Site-Data"] = '"cache"'
        if language := form.get_user().language:
            translation.activate(language)
            set_language_cookie(response, language)
        return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's `set_language`, which also keeps a logged-in person's choice in their profile.

    A visitor's choice only sets the language cookie, so their pages need no CSRF cookie (and
    stay cacheable); a logged-in person's changes their account, so it is checked for CSRF.
    """
    if request.user.is_authenticated:
        return set_profile_language(request)
    if request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER) not in dict(settings.LANGUAGES):
        return language_refused()
    return i18n.set_language(request)


@csrf_protect
def set_profile_language(request: AuthedRequest) -> HttpResponse:
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER)
    if language not in dict(settings.LANGUAGES):
        return language_refused()
    if language != request.user.language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return i18n.set_language(request)


def language_refused() -> HttpResponse:
    # Django would take any language it has a catalogue for; the site offers only its own.
    message = _("Choose one of the languages the site offers: %(languages)s.") % {
        "languages": ", ".join(code for code, _name in settings.LANGUAGES)
    }
    return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")


class PasswordChangeView(RefusedFormStatusMixin, auth_views.PasswordChangeView):
    pass


class PasswordResetView(RefusedFormStatusMixin, auth_views.PasswordResetView):
    form_class = LocalizedPasswordResetForm


class PasswordResetConfirmView(RefusedFormStatusMixin, auth_views.PasswordResetConfirmView):
    pass


class LogoutView(auth_views.LogoutView):
    """Log out, and have the browser forget what the installed app kept of this person:
    its caches, its stored data and its service worker."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
