"""Importing a year-review post written in Markdown: preview, then save (or cancel); undo.

Nothing is created before Save. The preview page is one form; "Preview again" posts it
to `markdown_import`, "Save" to `markdown_import_save`, "Cancel" to
`markdown_import_cancel` (buttons with `formaction`, so no JavaScript is needed). For a
week after, the imported post offers `markdown_import_undo`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from planner.models import Import
from planner.permissions import get_year_for
from planner.views.responses import form_status
from yearloop.http import AuthedRequest

from ..archive import ArchiveError
from ..journal_import import JournalReport, import_journal
from ..markdown_import import drafts
from ..markdown_import.form import JournalImportForm, MarkdownImportForm
from ..markdown_import.series import SeriesImportForm

TEMPLATE = "portability/markdown_import.html"
SERIES_TEMPLATE = "portability/series_import.html"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def markdown_import(request: AuthedRequest) -> HttpResponse:
    form = MarkdownImportForm(request.POST or None, request.FILES or None, request=request)
    return _preview(request, form, TEMPLATE)


@login_required
@require_POST
def markdown_import_save(request: AuthedRequest) -> HttpResponse:
    form = MarkdownImportForm(request.POST, request.FILES, request=request, saving=True)
    return _save(request, form, TEMPLATE)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def series_import(request: AuthedRequest) -> HttpResponse:
    """Several yearly posts at once: the preview of each, in order of their years."""
    form = SeriesImportForm(request.POST or None, request.FILES or None, request=request)
    return _preview(request, form, SERIES_TEMPLATE)


@login_required
@require_POST
def series_import_save(request: AuthedRequest) -> HttpResponse:
    form = SeriesImportForm(request.POST, request.FILES, request=request, saving=True)
    return _save(request, form, SERIES_TEMPLATE)


def _preview(
    request: AuthedRequest, form: MarkdownImportForm | SeriesImportForm, template: str
) -> HttpResponse:
    if not form.is_bound:
        return render(request, template, {"form": form})
    valid = form.is_valid()
    form.keep_images()
    return render(request, template, {"form": form}, status=200 if valid else 422)


def _save(
    request: AuthedRequest, form: MarkdownImportForm | SeriesImportForm, template: str
) -> HttpResponse:
    if form.is_valid():
        form.keep_images()
        try:
            saved = form.save()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            posts = saved if isinstance(saved, list) else [saved]
            years = ", ".join(str(post.year) for post in posts)
            messages.success(
                request,
                ngettext(
                    "%(years)s was imported.", "These years were imported: %(years)s.", len(posts)
                )
                % {"years": years},
            )
            return redirect(posts[0])
    else:
        form.keep_images()
    return render(request, template, {"form": form}, status=422)


@login_required
@require_POST
def markdown_import_cancel(request: AuthedRequest) -> HttpResponse:
    drafts.discard(request.session, request.POST.get("draft", ""))
    messages.info(request, _("The import was cancelled; nothing was saved."))
    return redirect("planner:home")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def markdown_import_undo(request: AuthedRequest, username: str, year: int) -> HttpResponse:
    """Asks, then deletes the imported year and what the import added to the year after."""
    post = get_year_for(request, username, year, write=True)
    record = get_object_or_404(Import.objects.select_related("next_post"), post=post)
    if not record.can_be_undone:
        raise Http404
    records = record.together()
    years = ", ".join(str(each.post.year) for each in records)
    if request.method == "POST":
        record.undo()
        messages.success(request, _("The import of %(year)s was undone.") % {"year": years})
        return redirect("planner:profile", request.user.username)
    context = {"post": post, "records": records, "series": len(records) > 1}
    return render(request, "portability/import_undo.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def journal_import(request: AuthedRequest) -> HttpResponse:
    """A Day One or Journey export, each of its years made into one of the person's own."""
    form = JournalImportForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        try:
            report = import_journal(
                request.user, form.cleaned_data["file"], form.cleaned_data["visibility"]
            )
        except ArchiveError as error:
            form.add_error("file", str(error))
        else:
            return _journal_imported(request, report)
    return render(
        request, "portability/journal_import.html", {"form": form}, status=form_status(form)
    )


def _journal_imported(request: AuthedRequest, report: JournalReport) -> HttpResponse:
    years = [
        # Only numbers and counted words: the year and its figures read alike in any language.
        "{} ({}, {})".format(
            number,
            ngettext("%(count)s entry", "%(count)s entries", entries) % {"count": entries},
            ngettext("%(count)s photo", "%(count)s photos", photos) % {"count": photos},
        )
        for number, (entries, photos) in report.created.items()
    ]
    if years:
        messages.success(
            request, _("Imported from your journal: %(years)s.") % {"years": ", ".join(years)}
        )
    if report.skipped:
        messages.info(
            request,
            _("Left as they were, since you have them already: %(years)s.")
            % {"years": ", ".join(str(number) for number in report.skipped)},
        )
    if years:
        return redirect("planner:year_detail", request.user.username, min(report.created))
    return redirect("planner:profile", request.user.username)
