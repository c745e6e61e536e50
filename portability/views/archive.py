"""Everything a person has as one .zip, from the settings page: downloading it, importing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.forms import ProfileForm
from yearloop.http import AuthedRequest

from ..archive import ArchiveError, archive_chunks, archive_filename, import_archive
from ..archive.form import ArchiveImportForm


@login_required
@require_safe
def archive_export(request: AuthedRequest) -> StreamingHttpResponse:
    """Everything the person has, as one .zip, written while it is sent."""
    response = StreamingHttpResponse(archive_chunks(request.user), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, archive_filename(request.user)
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def archive_import(request: AuthedRequest) -> HttpResponse:
    form = ArchiveImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = import_archive(request.user, form.cleaned_data["archive"])
        except ArchiveError as error:
            form.add_error("archive", str(error))
        else:
            messages.success(
                request,
                _("The archive is imported: %(created)s new, %(updated)s updated.")
                % {"created": report.total(created=True), "updated": report.total(created=False)},
            )
            return redirect("accounts:profile_edit")
    context = {"form": ProfileForm(instance=request.user), "import_form": form}
    return render(request, "accounts/profile_form.html", context, status=422)
