"""Message rollups: message counts per queued day, template, variant, A/B test and status, sliced by lead dimensions.

`MessageDailyRollup` holds one row per (day the message was queued, template, variant, A/B
test, message status) x (the lead's found day, location, category, status, contact
availability) that has messages, with the figures of `outreach.analytics.message_groups`:
n, sent, delivered, replied, replied_any, converted. Its lead dimensions are named as the lead
rollups name them (`day`, `location`, `category`, `status`, `has_email`, `has_phone`), so
`LeadFilterSet.rollup_queryset` filters it with the same predicates.

`MessageTotalRollup` is the same summed over every lead dimension: what a spec without
filters and the A/B test results read (a few thousand rows whatever the number of messages).

No variant or no A/B test is stored as 0 rather than NULL, so a cell has one key.
"""

from django.db import models

from leads.rollups.querysets import RollupQuerySet


class MessageFigures(models.Model):
    queued_day = models.DateField(help_text="The day the messages were queued, in the site's time zone.")
    template_id = models.BigIntegerField()
    variant_id = models.BigIntegerField(help_text="0: no variant.")
    ab_test_id = models.BigIntegerField(help_text="0: no A/B test.")
    message_status = models.CharField(max_length=10)
    n = models.IntegerField(help_text="Messages.")
    sent = models.IntegerField(help_text="Messages that had a send.")
    delivered = models.IntegerField()
    replied = models.IntegerField(help_text="Sent messages with a reply.")
    replied_any = models.IntegerField(help_text="Messages with a reply.")
    converted = models.IntegerField(help_text="Sent messages whose lead converted after they were queued.")

    class Meta:
        abstract = True


class MessageDailyRollup(MessageFigures):
    """The messages of one key to the leads of one lead rollup cell."""

    day = models.DateField(help_text="The day the leads were found, in the site's time zone.")
    location = models.ForeignKey("leads.Location", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("leads.Category", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, help_text="The leads' status.")
    has_email = models.BooleanField()
    has_phone = models.BooleanField()

    objects = RollupQuerySet.as_manager()

    class Meta:
        # The refresh replaces a (location, category, days) range; it is serialized, so no unique index to pay for.
        indexes = [models.Index(fields=["location", "category", "day"], name="messagerollup_place_day_idx")]

    def __str__(self) -> str:
        return f"{self.queued_day} {self.template_id}/{self.variant_id} {self.message_status}: {self.n}"


class MessageTotalRollup(MessageFigures):
    """Every message of one key, whatever its lead: kept by adding and subtracting the daily cells' changes."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["queued_day", "template_id", "variant_id", "ab_test_id", "message_status"],
                name="messagetotalrollup_unique_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.queued_day} {self.template_id}/{self.variant_id} {self.message_status}: {self.n}"


class MessageRollupDirty(models.Model):
    """A lead whose messages changed since the message rollups last took the marks.

    Written by the message triggers (outreach.rollups.triggers) with the lead's id only: a SQLite
    trigger may not name the lead table, which later migrations remake. Readers turn these marks
    into the lead rollups' dirty keys before they refresh (outreach.rollups.refresh).
    """

    lead_id = models.BigIntegerField()

    class Meta:
        # Not unique: writers never wait for each other on a shared lead.
        indexes = [models.Index(fields=["lead_id"], name="messagerollupdirty_lead_idx")]

    def __str__(self) -> str:
        return f"lead {self.lead_id}"


class MessageRollupState(models.Model):
    """One row: the time zone the message rollups were built in and when."""

    time_zone = models.CharField(max_length=64)
    rebuilt_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"message rollups in {self.time_zone}, rebuilt {self.rebuilt_at:%Y-%m-%d %H:%M:%S}"
