"""Rules: a lead filter spec as the condition, a trigger, ordered actions; and the log of their runs."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from leads.models import Lead, LeadStatus


class RuleTrigger(models.TextChoices):
    NEW_LEADS = "new_leads", "On new leads"
    HOURLY = "hourly", "Every hour"
    DAILY = "daily", "Daily at a time"
    MANUAL = "manual", "By hand only"


class Rule(models.Model):
    """`filters` is a normalized lead filter spec (as saved exports store theirs)."""

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lead_rules")
    is_active = models.BooleanField(default=False, help_text="Paused rules never run, not even on new leads.")
    filters = models.JSONField(default=dict, blank=True, help_text="The lead filter spec the leads must match.")
    trigger = models.CharField(max_length=10, choices=RuleTrigger.choices, default=RuleTrigger.NEW_LEADS)
    run_time = models.TimeField(
        null=True, blank=True, help_text="Daily: the time of day; hourly: the minute past each hour (site time)."
    )
    last_slot = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        permissions = [("run_rule", "Can run rules by hand")]

    def __str__(self) -> str:
        return self.name


class RuleActionKind(models.TextChoices):
    SET_STATUS = "set_status", "Set status"
    ASSIGN_USER = "assign_user", "Assign to a user"
    ASSIGN_ROUND_ROBIN = "round_robin", "Assign round-robin among a group"
    ADD_NOTE = "add_note", "Add a note or tag"
    SEND_TEMPLATE = "send_template", "Send an auto-response template"


class RuleAction(models.Model):
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=RuleActionKind.choices)
    status = models.CharField(max_length=10, choices=LeadStatus.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)
    tag = models.SlugField(max_length=50, blank=True)
    template = models.ForeignKey(
        "outreach.ResponseTemplate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    round_robin_next = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["rule", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_kind_display()}"


class ExecutionStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCESS = "success", "Succeeded"
    PARTIAL = "partial", "Finished with errors"
    FAILED = "failed", "Failed"


class RuleExecution(models.Model):
    """One run of a rule: what it matched, did, skipped and where it failed."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="executions")
    trigger = models.CharField(max_length=10, choices=RuleTrigger.choices)
    slot = models.DateTimeField(null=True, blank=True, help_text="The scheduled slot served, if any.")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ExecutionStatus.choices, default=ExecutionStatus.RUNNING)
    leads_matched = models.PositiveIntegerField(default=0)
    leads_acted = models.PositiveIntegerField(default=0)
    actions_done = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0, help_text="Already handled, suppressed or already answered.")
    errors = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["-started_at"], name="ruleexec_started_idx")]

    def __str__(self) -> str:
        started = date_format(timezone.localtime(self.started_at), "DATETIME_FORMAT")
        return f"{self.rule} ({self.get_trigger_display()}), {started}"


class RuleLeadClaim(models.Model):
    """A rule acted (or is acting) on a lead for a trigger: the guard against running twice.

    Kept for the life of the lead (one small row per lead and rule), unlike the outcome log.
    """

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="claims")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="rule_claims")
    trigger = models.CharField(max_length=10, choices=RuleTrigger.choices)
    execution = models.ForeignKey(RuleExecution, on_delete=models.SET_NULL, null=True, related_name="claims")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "lead", "trigger"], name="rule_acts_once_per_lead_and_trigger")
        ]

    def __str__(self) -> str:
        return f"{self.rule} on lead {self.lead_id} ({self.trigger})"


class OutcomeKind(models.TextChoices):
    ACTED = "acted", "Acted"
    SKIPPED = "skipped", "Skipped"
    ERROR = "error", "Error"


class RuleLeadOutcome(models.Model):
    """What one run did to one lead; kept RULE_OUTCOME_RETENTION_DAYS, then rolled up by day."""

    execution = models.ForeignKey(RuleExecution, on_delete=models.CASCADE, related_name="outcomes")
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="outcomes")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="rule_outcomes")
    outcome = models.CharField(max_length=10, choices=OutcomeKind.choices)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["lead", "-created_at"], name="ruleoutcome_lead_idx"),
            models.Index(fields=["created_at"], name="ruleoutcome_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} lead {self.lead_id}"


class RuleOutcomeDailyRollup(models.Model):
    """Per-lead outcomes past their retention, counted by rule, day and outcome."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="outcome_rollups")
    day = models.DateField()
    outcome = models.CharField(max_length=10, choices=OutcomeKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "day", "outcome"], name="rule_outcome_rollup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.day} {self.outcome}: {self.count}"
