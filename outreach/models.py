"""Response templates, their variants, A/B tests and the outbox of auto-responses.

An `AutoResponse` row is the outbox entry for one message to one lead: it is written (queued)
before anything is sent, claimed (`sending`) in its own committed transaction just before the SMTP
call, and marked `sent` after it. See `outreach/services/sending.py` for the at-most-once guarantee.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from leads.models import Lead


class ResponseTemplate(models.Model):
    """A message with lead placeholders: {title}, {site}, {site_code}, {price}, {category}, {url}, {contact_name}."""

    name = models.CharField(max_length=120, unique=True)
    subject = models.CharField(max_length=200)
    body_text = models.TextField(help_text="Plain text; placeholders such as {title}, {site}, {price}.")
    body_html = models.TextField(blank=True, help_text="Optional HTML version (placeholders are HTML-escaped).")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateVariant(models.Model):
    """One version of a template for A/B testing; empty fields fall back to the template's."""

    template = models.ForeignKey(ResponseTemplate, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(max_length=40, help_text='Short label, e.g. "A" or "short subject".')
    subject = models.CharField(max_length=200, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    weight = models.PositiveIntegerField(default=1, help_text="Relative share of leads that get this variant.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["template", "name"]
        constraints = [models.UniqueConstraint(fields=["template", "name"], name="variant_unique_name")]

    def __str__(self) -> str:
        return f"{self.template.name} / {self.name}"


class ABTestStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RUNNING = "running", "Running"
    STOPPED = "stopped", "Stopped"


class ABTest(models.Model):
    """A template's active variants compared over a period; at most one runs per template."""

    name = models.CharField(max_length=120)
    template = models.ForeignKey(ResponseTemplate, on_delete=models.CASCADE, related_name="ab_tests")
    status = models.CharField(max_length=10, choices=ABTestStatus.choices, default=ABTestStatus.DRAFT)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    winner = models.ForeignKey(TemplateVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "A/B test"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template"], condition=Q(status="running"), name="abtest_one_running_per_template"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AutoResponseStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending (claimed; never resent automatically)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    BOUNCED = "bounced", "Bounced"
    REPLIED = "replied", "Replied"
    OPTED_OUT = "opted_out", "Opted out"


OUTCOME_STATUSES = ("contacted", "qualified", "converted")


def converted_q() -> Q:
    """Messages whose lead is converted now but was not when the message was queued.

    A semi-join on the converted leads' ids (read from the `lead_converted_idx` partial index)
    rather than a join with the lead table: the join made PostgreSQL read every lead (1.7 s of
    the dashboard at 1,000,000 leads), the semi-join reads only the converted ones' ids.
    """
    converted = Lead.objects.filter(status="converted").order_by().values("pk")
    return Q(lead_id__in=converted) & ~Q(lead_status_at_queue="converted")


def outcome_expression():
    """SQL for a message's outcome: the lead's status when it moved on (to a progress status) after queueing."""
    return Case(
        When(
            Q(lead__status__in=OUTCOME_STATUSES) & ~Q(lead__status=F("lead_status_at_queue")),
            then=F("lead__status"),
        ),
        default=Value(""),
        output_field=models.CharField(),
    )


class AutoResponseQuerySet(models.QuerySet):
    def with_outcome(self):
        return self.annotate(outcome_status=outcome_expression())

    def converted(self):
        return self.filter(lead__status="converted").exclude(lead_status_at_queue="converted")

    def for_user(self, user):
        """What `user` may see: managers (change permission) everything, sales staff their assigned leads."""
        from outreach.access import auto_responses_visible_to

        return auto_responses_visible_to(self, user=user)

    def sent_between(self, start, end):
        return self.filter(sent_at__gte=start, sent_at__lt=end)


class AutoResponse(models.Model):
    """One message to one lead (the outbox row). Never two for the same lead and template."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="auto_responses")
    template = models.ForeignKey(ResponseTemplate, on_delete=models.PROTECT, related_name="auto_responses")
    variant = models.ForeignKey(
        TemplateVariant, null=True, blank=True, on_delete=models.PROTECT, related_name="auto_responses"
    )
    ab_test = models.ForeignKey(ABTest, null=True, blank=True, on_delete=models.SET_NULL, related_name="auto_responses")
    # The rules app's RuleExecution, kept as a plain id so outreach does not depend on it.
    rule_execution_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    to_email = models.EmailField(
        "e-mail address", max_length=254, help_text="The address as it was when queued (contact data)."
    )
    status = models.CharField(
        max_length=10, choices=AutoResponseStatus.choices, default=AutoResponseStatus.QUEUED, db_index=True
    )
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    error = models.TextField(blank=True)
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    # The lead's status when queued; a later move to contacted/qualified/converted is the outcome.
    lead_status_at_queue = models.CharField(max_length=10, blank=True)

    objects = AutoResponseQuerySet.as_manager()

    class Meta:
        verbose_name = "auto-response"
        ordering = ["-queued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["lead", "template"], name="autoresponse_once_per_template")]
        indexes = [models.Index(fields=["status", "queued_at"], name="autoresponse_due_idx")]
        permissions = [
            ("mark_replied", "Can mark an auto-response replied"),
            ("view_all_autoresponses", "Can see auto-responses to every lead, not only assigned ones"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → lead {self.lead_id} ({self.status})"

    @property
    def outcome(self) -> str:
        """The lead's later status (contacted, qualified, converted) when it moved on after queueing; else ""."""
        status = self.lead.status
        return status if status in OUTCOME_STATUSES and status != self.lead_status_at_queue else ""


# The message rollups' models live in their package; imported here so Django registers them.
from outreach.rollups.models import (  # noqa: E402, F401
    MessageDailyRollup,
    MessageRollupDirty,
    MessageRollupState,
    MessageTotalRollup,
)
