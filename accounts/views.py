from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from planner.types import AuthedRequest

from .forms import ProfileForm, SignupForm


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("planner:home")
    form = SignupForm(request.POST or None)
    if form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Yearloop, %(name)s.") % {"name": user.name})
        return redirect("planner:home")
    status = 422 if form.is_bound else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile_edit")
    status = 422 if form.is_bound else 200
    return render(request, "accounts/profile_form.html", {"form": form}, status=status)


class RefusedFormStatusMixin:
    """Answer a refused form with 422, like every other form of the site."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


class LoginView(RefusedFormStatusMixin, auth_views.LoginView):
    pass


class PasswordChangeView(RefusedFormStatusMixin, auth_views.PasswordChangeView):
    pass


class PasswordResetView(RefusedFormStatusMixin, auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(RefusedFormStatusMixin, auth_views.PasswordResetConfirmView):
    pass
