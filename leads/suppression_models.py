"""The do-not-contact list: keyed hashes of e-mail addresses and phone numbers, never the values.

See `leads.contact_keys` for the hash and `leads.suppression` for the services that read and write
the list.
"""

from django.conf import settings
from django.db import models


class SuppressionKind(models.TextChoices):
    EMAIL = "email", "E-mail address"
    PHONE = "phone", "Phone number"


class SuppressionReason(models.TextChoices):
    OPTED_OUT = "opted_out", "Opted out"
    PHONE_REQUEST = "phone_request", "Asked by phone"
    ERASURE = "erasure", "Erasure request"
    MANUAL = "manual", "Manual"


class Suppression(models.Model):
    """One e-mail address or phone number nobody may contact or export again (stored as its key)."""

    kind = models.CharField(max_length=5, choices=SuppressionKind.choices)
    key = models.CharField(
        max_length=64, unique=True, help_text="HMAC-SHA256 of the normalised value (leads.contact_keys)."
    )
    reason = models.CharField(max_length=16, choices=SuppressionReason.choices, default=SuppressionReason.MANUAL)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "do-not-contact entry"
        verbose_name_plural = "do-not-contact list"
        permissions = [("erase_person", "Can erase a person's contact data (erasure requests)")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key[:12]}… ({self.get_reason_display()})"
