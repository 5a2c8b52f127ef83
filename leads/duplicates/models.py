"""Duplicate groups and the merges made of them."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class DuplicateGroup(models.Model):
    """Leads that are the same person or post: a shared e-mail or phone, or near-identical text.

    Only groups of two or more leads exist; a lead without a group is alone. `size`, `first_lead`
    (the earliest found, the one `duplicates=first` keeps) and `last_found_at` are kept up to date by
    `leads.duplicates.grouping.groups_refresh` so the lead list and the duplicates page read them
    without counting.
    """

    created_at = models.DateTimeField(default=timezone.now)
    size = models.PositiveIntegerField(default=0)
    first_lead = models.ForeignKey("leads.Lead", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_found_at = models.DateTimeField(null=True, blank=True, help_text="When its newest lead was found.")

    class Meta:
        ordering = ["-last_found_at", "-id"]
        indexes = [models.Index(fields=["-last_found_at", "-id"], name="dupgroup_last_found_idx")]
        permissions = [("merge_leads", "Can merge duplicate leads")]

    def __str__(self) -> str:
        return f"Duplicate group {self.pk} ({self.size} leads)"


class LeadMerge(models.Model):
    """One merge of a group into its survivor: what changed, so it can be undone for a while.

    `previous` holds the survivor's values before the merge for the fields the merge changed;
    `merged_ids` the leads that were merged into it (they are kept, marked `merged_into`).
    """

    group = models.ForeignKey(DuplicateGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="merges")
    survivor = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="merges")
    merged_ids = models.JSONField(default=list)
    previous = models.JSONField(default=dict)
    chosen = models.JSONField(default=dict, help_text="Field name -> id of the lead whose value won.")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"Merge of {len(self.merged_ids) + 1} leads into {self.survivor_id}"
