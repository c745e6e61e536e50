"""The post's texts, edited in place with autosave: intro, overall and period retrospectives,
and the answers to guided questions."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from yearloop.http import AuthedRequest

from ..permissions import get_answer_for, get_period_for, get_year_for, login_required_in_place
from ..review_draft import review_draft
from ..texts import YEAR_TEXT_FIELDS, AnswerText, PostText, TextForm
from .app import kept_offline_for_owner
from .responses import form_status


def year_text(request: AuthedRequest, username: str, year: int, field: str) -> PostText:
    if field not in YEAR_TEXT_FIELDS:
        raise Http404
    return PostText(get_year_for(request, username, year, write=True), field)


def period_text(request: AuthedRequest, username: str, year: int, index: int) -> PostText:
    return PostText(get_period_for(request, username, year, index), "retrospective")


@kept_offline_for_owner
@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def year_text_edit(request: AuthedRequest, username: str, year: int, field: str) -> HttpResponse:
    return edit(request, year_text(request, username, year, field))


@login_required_in_place
@require_http_methods(["GET", "HEAD"])
def summary_draft(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    """The overall retrospective's editor with a draft from the year's data: as the text when
    there is none yet (saved only when the owner saves), else beside the text, to copy from."""
    text = year_text(request, username, year, "summary")
    draft = review_draft(text.post)
    if text.value:
        return editor(request, text, TextForm(text=text), draft=draft)
    return editor(request, text, TextForm(text=text, initial={"text": draft}), drafted=True)


@login_required_in_place
@require_POST
def year_text_autosave(
    request: AuthedRequest, username: str, year: int, field: str
) -> HttpResponse:
    return autosave(request, year_text(request, username, year, field))


@kept_offline_for_owner
@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def period_edit(request: AuthedRequest, username: str, year: int, index: int) -> HttpResponse:
    return edit(request, period_text(request, username, year, index))


@login_required_in_place
@require_POST
def period_autosave(request: AuthedRequest, username: str, year: int, index: int) -> HttpResponse:
    return autosave(request, period_text(request, username, year, index))


@login_required_in_place
@require_http_methods(["GET", "HEAD", "POST"])
def answer_edit(request: AuthedRequest, answer_id: int) -> HttpResponse:
    return edit(request, AnswerText(get_answer_for(request, answer_id)))


@login_required_in_place
@require_POST
def answer_autosave(request: AuthedRequest, answer_id: int) -> HttpResponse:
    return autosave(request, AnswerText(get_answer_for(request, answer_id)))


def in_place(request: AuthedRequest, text: PostText) -> bool:
    """An htmx request from the post page, where fragments swap; not from the editor's page."""
    current = request.htmx.current_url if request.htmx else None
    return current is not None and urlsplit(current).path == text.place_url


def edit(request: AuthedRequest, text: PostText) -> HttpResponse:
    """GET: the editor. POST: save and show the text, or the editor with what went wrong."""
    form = TextForm(request.POST or None, text=text)
    if form.is_valid() and form.save():
        if in_place(request, text):
            return render(request, text.display_template, {"text": text, "is_owner": True})
        messages.success(request, _("Saved."))
        if request.htmx:
            return HttpResponseClientRedirect(text.page_url)
        return redirect(text.page_url)
    return editor(request, text, form)


def autosave(request: AuthedRequest, text: PostText) -> HttpResponse:
    """Save while the person types: answer with the new base, or the conflict in place."""
    if not request.htmx:
        return edit(request, text)
    form = TextForm(request.POST, text=text)
    if form.is_valid() and form.save():
        return render(
            request, "planner/includes/text_editor.html#status", {"text": text, "saved": True}
        )
    if form.conflict is None:
        return render(
            request,
            "planner/includes/text_editor.html#status",
            {"text": text, "form": form},
            status=422,
        )
    return retarget(reswap(editor(request, text, form), "outerHTML"), f"#{text.dom_id}")


def editor(
    request: AuthedRequest,
    text: PostText,
    form: TextForm,
    *,
    draft: str = "",
    drafted: bool = False,
) -> HttpResponse:
    """The editor, or both versions after a change elsewhere: a fragment for htmx, else a page."""
    conflict = form.conflict is not None
    status = 409 if conflict else form_status(form)
    fragment = (
        "planner/includes/text_conflict.html" if conflict else "planner/includes/text_editor.html"
    )
    context = {
        "text": text,
        "form": form,
        "in_place": in_place(request, text),
        "draft": draft,
        "drafted": drafted,
    }
    if request.htmx:
        return render(request, fragment, context, status=status)
    context["fragment"] = fragment
    return render(request, "planner/text_form.html", context, status=status)
