"""Lead import records: the preview waiting for a confirm, the background job and the history in one."""

import uuid

from django.conf import settings
from django.db import models


class LeadImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed, not confirmed"
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired (never confirmed)"


class LeadImportSource(models.TextChoices):
    ADMIN = "admin", "Admin"
    CLI = "cli", "Command line"


class LeadImport(models.Model):
    """One lead import: who sent which file, what was checked and saved, and how far it got.

    The uploaded file waits under LEAD_IMPORT_DIRECTORY (`stored_name`) while the import is
    previewed, pending or running, and is deleted as soon as it is done, cancelled or expired:
    it holds contact data. The record stays, as the import history.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="lead_imports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=LeadImportStatus.choices, default=LeadImportStatus.PREVIEWED)
    source = models.CharField(max_length=10, choices=LeadImportSource.choices, default=LeadImportSource.ADMIN)
    format = models.CharField(max_length=10)
    file_name = models.CharField(max_length=255, help_text="The uploaded file's name.")
    file_size = models.PositiveBigIntegerField(default=0)
    stored_name = models.CharField(
        max_length=100, blank=True, help_text="The waiting file under LEAD_IMPORT_DIRECTORY; empty once removed."
    )
    rows_checked = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True, help_text="Known once the file is checked.")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0-100.")
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text='Row errors: [{"row": 12, "messages": [...]}].')
    error_message = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("import_leads", "Can import leads")]
        indexes = [models.Index(fields=["status", "created_at"], name="leadimport_status_created_idx")]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.status})"
