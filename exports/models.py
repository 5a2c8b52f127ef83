"""Export records (the job and the audit trail in one), their downloads, and saved exports."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from exports.querysets import ExportQuerySet
from exports.storage import export_storage


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


DEFAULT_FORMAT = "csv"
DEFAULT_DATA_TYPE = "leads"


def validate_format_key(value: str) -> None:
    """A format registered in EXPORT_FORMATS (the registry, not the database, lists the formats)."""
    from exports.formats.registry import format_keys

    if value not in format_keys():
        raise ValidationError(f"Unknown format {value!r}; choose one of: {', '.join(format_keys())}.")


def validate_data_type_key(value: str) -> None:
    """A data type registered in EXPORT_DATASETS."""
    from exports.datasets.registry import dataset_keys

    if value not in dataset_keys():
        raise ValidationError(f"Unknown data type {value!r}; choose one of: {', '.join(dataset_keys())}.")


class RegistryLabels:
    """Display names of the format and data type keys, from the registries (the fields have no choices)."""

    def get_format_display(self) -> str:
        from exports.formats.registry import format_label

        return format_label(self.format)

    def get_data_type_display(self) -> str:
        from exports.datasets.registry import dataset_label

        return dataset_label(self.data_type)


class ExportSource(models.TextChoices):
    ADMIN = "admin", "Admin"
    API = "api", "API"
    CLI = "cli", "Command line"
    SCHEDULE = "schedule", "Schedule"


def export_upload_to(export: "Export", filename: str) -> str:
    # Stored under the record's unguessable id; the download name is made by the server.
    return f"{export.created_at:%Y/%m}/{export.pk}/{filename}"


class Export(RegistryLabels, models.Model):
    """One export: what was asked (spec, columns, format), by whom, and what came of it.

    The record, not the task result, is the source of truth for status and
    progress. Records outlive their files: cleanup marks them expired.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="exports"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the process writing the file."
    )
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    source = models.CharField(max_length=10, choices=ExportSource.choices, default=ExportSource.ADMIN)
    format = models.CharField(max_length=10, validators=[validate_format_key])
    data_type = models.CharField(max_length=15, default=DEFAULT_DATA_TYPE, validators=[validate_data_type_key])
    filters = models.JSONField(default=dict, blank=True, help_text="The normalized lead filter spec.")
    columns = models.JSONField(default=list, blank=True, help_text="Column keys, in order.")
    include_contact_info = models.BooleanField(default=False)
    options = models.JSONField(default=dict, blank=True, help_text="Format options, e.g. csv_bom, update_ready.")
    row_count = models.PositiveIntegerField(null=True, blank=True, help_text="Rows the spec matched when created.")
    rows_written = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0-100.")
    file = models.FileField(storage=export_storage, upload_to=export_upload_to, max_length=500, blank=True)
    file_name = models.CharField(max_length=255, blank=True, help_text="The name the download is served under.")
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    checksum_sha256 = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    download_count = models.PositiveIntegerField(default=0)
    last_downloaded_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Recovery (operations app): the background worker writing it, how many times a worker claimed
    # it, and when a lost or orphaned run was queued again (each happens once at most).
    worker_id = models.CharField(max_length=64, blank=True, help_text="The background worker that claimed it.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="How many times a worker started writing it.")
    requeued_at = models.DateTimeField(null=True, blank=True, help_text="When recovery queued it again.")
    saved_export = models.ForeignKey(
        "SavedExport", on_delete=models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    rerun_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reruns")
    # Scheduled exports: where to e-mail the download link once finished, and when that was done.
    notify_email = models.EmailField(blank=True, help_text="E-mail the download link here when it finishes.")
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("export_leads", "Can export leads"),
            ("view_contact_info", "Can view contact information"),
            ("view_all_exports", "Can view everyone's exports"),
            ("cleanup_exports", "Can clean up old exports"),
        ]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="export_owner_created_idx"),
            models.Index(fields=["status", "created_at"], name="export_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} export of {self.get_data_type_display().lower()} ({self.status})"


class ExportDownload(models.Model):
    """One download of an export's file: who and when."""

    export = models.ForeignKey(Export, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    downloaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-downloaded_at"]

    def __str__(self) -> str:
        return f"{self.export_id} downloaded at {self.downloaded_at:%Y-%m-%d %H:%M}"


class ScheduleFrequency(models.TextChoices):
    NONE = "", "Not scheduled"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class SavedExport(RegistryLabels, models.Model):
    """A named export template (spec, columns, format), optionally run on a schedule."""

    name = models.CharField(max_length=120)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_exports")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    format = models.CharField(max_length=10, default=DEFAULT_FORMAT, validators=[validate_format_key])
    data_type = models.CharField(max_length=15, default=DEFAULT_DATA_TYPE, validators=[validate_data_type_key])
    filters = models.JSONField(default=dict, blank=True)
    columns = models.JSONField(default=list, blank=True)
    include_contact_info = models.BooleanField(default=False)
    options = models.JSONField(default=dict, blank=True)
    frequency = models.CharField(max_length=10, choices=ScheduleFrequency.choices, default="", blank=True)
    run_time = models.TimeField(null=True, blank=True, help_text="Time of day (site time zone) to run.")
    weekday = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0 = Monday, for weekly runs.")
    day_of_month = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1-28, for monthly runs.")
    only_new_since_last_run = models.BooleanField(
        default=False, help_text="Export only leads found since the previous scheduled run."
    )
    email_on_completion = models.BooleanField(default=False)
    email_to = models.EmailField(blank=True, help_text="Defaults to the owner's e-mail address.")
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_slot = models.DateTimeField(null=True, blank=True, help_text="The schedule slot the last run served.")
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    is_active = models.BooleanField(default=True)
    last_error = models.TextField(blank=True, help_text="Why the last scheduled run could not start, if it failed.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedexport_unique_name_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name


# The ids of the leads each export file holds live with their encoding; imported so Django finds the model.
from exports.lead_ids import ExportLeadIds  # noqa: E402, F401
