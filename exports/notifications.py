"""E-mails about scheduled exports: the download link once a run finishes, or why it could not run.

An export to notify carries `notify_email` (set when its scheduled run starts). Whether it ran at
once or in the background worker, the scheduler's next pass finds it finished and sends the
mail: one path for both, and no hook inside the export runner. Each mail is claimed with a
conditional UPDATE of `notified_at` first, so two schedulers never send it twice.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from exports import conf
from exports.models import Export, ExportStatus, SavedExport

logger = logging.getLogger("exports.notifications")

NOTIFIED_STATUSES = (ExportStatus.COMPLETED, ExportStatus.FAILED)
# A mail that could not be sent is retried on later passes, for this long after the export finished.
RETRY_WINDOW = datetime.timedelta(days=1)
SUBJECT_PREFIX = "[Leadsite] "


def exports_notify_finished(*, now: datetime.datetime | None = None) -> int:
    """Send the e-mail of every finished export that asks for one and has not had it; returns how many were sent."""
    now = now or timezone.now()
    pending = (
        Export.objects.filter(
            status__in=NOTIFIED_STATUSES, notified_at__isnull=True, finished_at__gte=now - RETRY_WINDOW
        )
        .exclude(notify_email="")
        .select_related("saved_export", "created_by")
        .order_by("finished_at")
    )
    sent = 0
    for export in pending:
        if not Export.objects.filter(pk=export.pk, notified_at__isnull=True).update(notified_at=now):
            continue  # another scheduler took it
        try:
            export_finished_notify(export=export)
        except Exception:
            logger.exception("export e-mail not sent export_id=%s to=%s", export.pk, export.notify_email)
            Export.objects.filter(pk=export.pk).update(notified_at=None)
            continue
        sent += 1
    return sent


def export_finished_notify(*, export: Export) -> None:
    """E-mail `export.notify_email` the download link of a completed export, or the error of a failed one."""
    name = _one_line(export.saved_export.name if export.saved_export else "Lead export")
    if export.status == ExportStatus.COMPLETED:
        subject = f"{SUBJECT_PREFIX}{name}: your export is ready"
        lines = [
            f"The scheduled export \u201c{name}\u201d is ready.",
            "",
            f"Rows: {export.rows_written:,}",
            f"Format: {export.get_format_display()}",
            f"Size: {filesizeformat(export.file_size or 0)}",
            "",
            f"Download it (sign in to Leadsite first): {export_download_url(export)}",
            "",
            f"The file is kept for {conf.cleanup_days()} days.",
        ]
    else:
        subject = f"{SUBJECT_PREFIX}{name}: the export failed"
        lines = [
            f"The scheduled export \u201c{name}\u201d failed: {export.error_message or 'no reason was recorded.'}",
            "",
            f"See it and re-run it in the export history: {export_history_url()}",
        ]
    _send(subject=subject, body="\n".join(lines), to=export.notify_email)
    logger.info("export e-mail sent export_id=%s status=%s to=%s", export.pk, export.status, export.notify_email)


def saved_export_failure_notify(*, saved_export: SavedExport, message: str) -> None:
    """E-mail that a scheduled run could not start (e.g. over the row limit, or a permission was lost)."""
    recipient = saved_export_recipient(saved_export)
    if not recipient:
        return
    name = _one_line(saved_export.name)
    subject = f"{SUBJECT_PREFIX}{name}: the scheduled export could not run"
    body = "\n".join(
        [
            f"The scheduled export \u201c{name}\u201d could not run: {message}",
            "",
            f"Change it in the admin: {_absolute(_saved_export_path(saved_export))}",
        ]
    )
    _send(subject=subject, body=body, to=recipient)
    logger.info("saved export failure e-mail sent saved_export_id=%s to=%s", saved_export.pk, recipient)


def saved_export_recipient(saved_export: SavedExport) -> str:
    """Where a saved export's mails go: `email_to`, else its owner's address."""
    return saved_export.email_to or saved_export.owner.email


def export_download_url(export: Export) -> str:
    """The absolute link of the authenticated download view (SITE_URL + exports:download)."""
    try:
        return _absolute(reverse("exports:download", args=[export.pk]))
    except NoReverseMatch:
        return export_history_url()


def export_history_url() -> str:
    try:
        return _absolute(reverse("exports:history"))
    except NoReverseMatch:
        return _absolute(reverse("admin:index"))


def _saved_export_path(saved_export: SavedExport) -> str:
    try:
        return reverse("admin:exports_savedexport_change", args=[saved_export.pk])
    except NoReverseMatch:
        return reverse("admin:index")


def _one_line(text: str) -> str:
    # A line break in a subject would be refused as a header injection.
    return " ".join(text.split())


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(*, subject: str, body: str, to: str) -> None:
    # from_email None: DEFAULT_FROM_EMAIL. The default mailer is the console while DEBUG is on.
    EmailMessage(subject=subject, body=body, from_email=None, to=[to]).send()
