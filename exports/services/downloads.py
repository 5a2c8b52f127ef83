"""Opening an export's file for download, recorded on the export."""

import logging
import posixpath
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from exports import conf
from exports.errors import ExportGone, ExportNotReady
from exports.formats.registry import get_format
from exports.models import Export, ExportDownload, ExportStatus
from exports.services.access import VIEW_CONTACT_INFO, check_can_manage, plain_contact_info
from exports.storage import export_file_open, export_file_signed_url, export_storage

logger = logging.getLogger("exports.services")

MISSING_FILE_MESSAGE = "The file was missing from storage when it was downloaded; re-run the export."


@dataclass(frozen=True)
class DownloadFile:
    """An open export file and how to serve it (see exports.http.export_file_response)."""

    file: BinaryIO | None
    name: str
    content_type: str
    size: int | None
    # Set instead of `file` when the download is a redirect to a pre-signed object-storage URL.
    url: str | None = None


def export_open_download(*, export: Export, user) -> DownloadFile:
    """Open a completed export's file for `user` and record the download.

    Raises PermissionDenied (not the owner and no view-all permission; or the export holds contact
    info the user may no longer see), ExportNotReady (not completed) and ExportGone (expired, or the
    file vanished from storage, in which case the record is marked expired).
    """
    check_can_manage(export=export, user=user)
    # Masked or hashed contact values are not what the permission guards (as when the export was made).
    plain = plain_contact_info(include_contact_info=export.include_contact_info, options=export.options)
    if plain and not user.has_perm(VIEW_CONTACT_INFO):
        raise PermissionDenied("This export includes contact information, which you are not allowed to see.")
    if export.status == ExportStatus.EXPIRED:
        raise ExportGone("This export has expired and its file was deleted; re-run it for a fresh file.")
    if export.status != ExportStatus.COMPLETED:
        raise ExportNotReady(_not_ready_message(export))

    storage = export_storage()
    name = export.file_name or posixpath.basename(export.file.name)
    content_type = get_format(export.format).content_type
    try:
        # exists() first: some remote storages open lazily and would fail only while streaming.
        if not export.file.name or not storage.exists(export.file.name):
            raise FileNotFoundError(export.file.name)
        url = _signed_url(export, name=name, content_type=content_type)
        handle = None if url else export_file_open(export.file.name)
    except FileNotFoundError:
        _mark_missing(export)
        raise ExportGone("This export's file is no longer available; re-run it for a fresh file.") from None

    ExportDownload.objects.create(export=export, user=user)
    Export.objects.filter(pk=export.pk).update(
        download_count=F("download_count") + 1, last_downloaded_at=timezone.now()
    )
    export.refresh_from_db(fields=["download_count", "last_downloaded_at"])
    logger.info("export downloaded export_id=%s user=%s", export.pk, user.get_username())
    return DownloadFile(file=handle, name=name, content_type=content_type, size=export.file_size, url=url)


def _signed_url(export: Export, *, name: str, content_type: str) -> str | None:
    if conf.download_mode() != "redirect":
        return None
    return export_file_signed_url(
        export.file.name, filename=name, content_type=content_type, seconds=conf.download_url_seconds()
    )


def _not_ready_message(export: Export) -> str:
    if export.status == ExportStatus.FAILED:
        return f"This export failed: {export.error_message or 'no file was written'}"
    if export.status == ExportStatus.CANCELLED:
        return "This export was cancelled; it has no file."
    return f"This export is {export.get_status_display().lower()}; its file is not ready yet."


def _mark_missing(export: Export) -> None:
    marked = Export.objects.filter(pk=export.pk, status=ExportStatus.COMPLETED).update(
        status=ExportStatus.EXPIRED, error_message=MISSING_FILE_MESSAGE
    )
    if marked:
        logger.warning("export file missing, marked expired export_id=%s name=%s", export.pk, export.file.name)
    export.refresh_from_db()
