"""Staff views of exports: download, the history page's status polling, and the per-export actions.

Every view here is wrapped in admin_site.admin_view (exports/urls.py): active staff only, never
cached, CSRF-protected. Who may see which export is decided by exports.records.selectors, what may be
done with it by exports.services; these views only translate the outcome to a page or a message.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exports.errors import ExportError, ExportGone, ExportNotReady, ExportValidationError
from exports.http import export_file_response
from exports.models import Export, ExportSource, ExportStatus
from exports.records.selectors import export_dashboard_choices, export_get_for_user, export_statuses
from exports.services import (
    ExportRequest,
    export_cancel,
    export_delete,
    export_open_download,
    export_rerun,
    export_start,
)
from leads.filter_summary import lead_filters_summary
from leads.filters import filters_from_query


def history_url() -> str:
    """The history page: the export records' admin changelist (own exports, or all with view-all)."""
    return reverse("admin:exports_export_changelist")


@require_GET
def export_history_view(request: HttpRequest) -> HttpResponse:
    """A stable name (exports:history) for links in e-mails and messages."""
    query = request.GET.urlencode()
    return HttpResponseRedirect(f"{history_url()}?{query}" if query else history_url())


@require_GET
def export_status_view(request: HttpRequest) -> JsonResponse:
    """Status and progress of the exports named by repeated `id` parameters (the history page polls this)."""
    statuses = export_statuses(user=request.user, export_ids=request.GET.getlist("id"))
    return JsonResponse({"exports": statuses, "active": any(item["active"] for item in statuses)})


@require_GET
def export_download_view(request: HttpRequest, export_id: str) -> HttpResponse:
    """The export's file as an attachment; 404 when not visible, 409 when not ready, 410 when expired.

    403, with the reason, for an export the user may see but not download (it holds contact information
    and the user lacks, or has lost, the permission to see it).
    """
    export = export_get_for_user(user=request.user, export_id=export_id)
    try:
        download = export_open_download(export=export, user=request.user)
    except PermissionDenied as error:
        return _unavailable(request, export, error, status=403, title="Export not available to you")
    except ExportNotReady as error:
        return _unavailable(request, export, error, status=409, title="Export not ready")
    except ExportGone as error:
        return _unavailable(request, export, error, status=410, title="Export no longer available")
    return export_file_response(download)


def export_started_response(request: HttpRequest, export: Export, *, what: str) -> HttpResponse:
    """The file itself when the export ran at once; otherwise the history page with a message."""
    if export.status == ExportStatus.COMPLETED:
        try:
            return export_file_response(export_open_download(export=export, user=request.user))
        except ExportError as error:  # e.g. the file vanished between writing and serving
            messages.error(request, str(error))
            return HttpResponseRedirect(history_url())
    if export.status == ExportStatus.FAILED:
        messages.error(request, f"The export failed: {export.error_message or 'unknown error'}")
    else:
        messages.success(
            request,
            f"Your {export.get_format_display()} export of {what} is running in the background. "
            "It is listed below; download it here when it is ready.",
        )
    return HttpResponseRedirect(history_url())


@require_POST
def analytics_export_view(request: HttpRequest) -> HttpResponse:
    """The dashboard's "Export this view": its filters (the query string) as analytics or the comprehensive package."""
    choices = {choice["format"]: choice["data_type"] for choice in export_dashboard_choices()}
    data_type = choices.get(request.POST.get("format", ""))
    if data_type is None:
        labels = ", ".join(choice["label"] for choice in export_dashboard_choices())
        messages.error(request, f"Choose one of {labels} to export this view.")
        return HttpResponseRedirect(_dashboard_url(request))
    try:
        export = export_start(
            request=ExportRequest(
                user=request.user,
                # One value per scalar filter, as the dashboard reads its query string: same spec, same figures.
                filters=filters_from_query(request.GET, user=request.user),
                format=request.POST["format"],
                data_type=data_type,
                source=ExportSource.ADMIN,
            )
        )
    except (ExportError, ExportValidationError, PermissionDenied) as error:
        messages.error(request, f"This view could not be exported: {_sentence(error)}")
        return HttpResponseRedirect(_dashboard_url(request))
    return export_started_response(request, export, what="the dashboard's analytics")


def _dashboard_url(request: HttpRequest) -> str:
    query = request.GET.urlencode()
    url = reverse("dashboard:index")
    return f"{url}?{query}" if query else url


@require_POST
def export_rerun_view(request: HttpRequest, export_id: str) -> HttpResponse:
    export = export_get_for_user(user=request.user, export_id=export_id)
    try:
        new_export = export_rerun(export=export, user=request.user)
    except (ExportError, PermissionDenied) as error:
        messages.error(request, f"The export could not be re-run: {_sentence(error)}")
    except ExportValidationError as error:
        messages.error(request, f"The export could not be re-run: {' '.join(error.messages)}")
    else:
        if new_export.status == ExportStatus.COMPLETED:
            messages.success(request, "The export was re-run; its new file is ready to download.")
        elif new_export.status == ExportStatus.FAILED:
            messages.error(request, f"The re-run failed: {new_export.error_message}")
        else:
            messages.success(request, "The export was re-run; it is running in the background.")
    return HttpResponseRedirect(history_url())


@require_POST
def export_cancel_view(request: HttpRequest, export_id: str) -> HttpResponse:
    export = export_get_for_user(user=request.user, export_id=export_id)
    try:
        export_cancel(export=export, user=request.user)
    except (ExportError, PermissionDenied) as error:
        messages.error(request, f"The export could not be cancelled: {_sentence(error)}")
    else:
        messages.success(request, "The export was cancelled.")
    return HttpResponseRedirect(history_url())


@require_http_methods(["GET", "POST"])
def export_delete_view(request: HttpRequest, export_id: str) -> HttpResponse:
    """GET asks for confirmation (the admin's usual delete page); POST deletes the file and the record."""
    export = export_get_for_user(user=request.user, export_id=export_id)
    if request.method == "POST":
        try:
            export_delete(export=export, user=request.user)
        except (ExportError, PermissionDenied) as error:
            messages.error(request, f"The export could not be deleted: {_sentence(error)}")
        else:
            messages.success(request, "The export and its file were deleted.")
        return HttpResponseRedirect(history_url())
    context = {
        **admin.site.each_context(request),
        "opts": Export._meta,
        "title": "Delete export?",
        "export": export,
        "summary": lead_filters_summary(filters=export.filters),
        "is_running": export.status == ExportStatus.RUNNING,
        "history_url": history_url(),
    }
    return TemplateResponse(request, "admin/exports/export_delete_confirmation.html", context)


def _unavailable(request, export: Export, error: Exception, *, status: int, title: str) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "opts": Export._meta,
        "title": title,
        "export": export,
        "message": _sentence(error),
        "history_url": history_url(),
    }
    return TemplateResponse(request, "admin/exports/download_unavailable.html", context, status=status)


def _sentence(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return " ".join(f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items())
    if isinstance(error, PermissionDenied) and not str(error):
        return "you do not have permission to do that."
    return str(error) or "unknown error."
