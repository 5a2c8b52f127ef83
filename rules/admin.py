"""Rules in the admin: managers create, preview ("try before switching on"), activate and run them."""

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from leads.admin.display import duration
from leads.admin.notes import OptionalInlineFormSet
from leads.admin.strict_changelist import SpecOnlyAdminMixin
from leads.filters import spec_to_query_string
from leads.models import Lead
from leads.selectors import LeadFilterError
from rules.forms import RuleForm, condition_summary
from rules.models import Rule, RuleAction, RuleExecution, RuleLeadClaim, RuleLeadOutcome, RuleTrigger
from rules.selectors import rule_preview


class RuleActionInline(admin.StackedInline):
    """One block per action, its fields on three lines: a table of eight columns cannot fit 1280 px."""

    model = RuleAction
    extra = 1
    fields = [("position", "kind"), ("status", "user", "group"), ("note", "tag", "template")]
    raw_id_fields = ["user"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


@admin.register(Rule)
class RuleAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    form = RuleForm
    inlines = [RuleActionInline]
    list_display = ["name", "is_active", "trigger", "condition_text", "owner", "runs_link"]
    list_filter = ["is_active", "trigger"]
    search_fields = ["name"]
    readonly_fields = ["owner", "condition_text", "lead_list_link", "preview"]
    actions = ["run_now", "activate", "pause"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class RequestRuleForm(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, **inner)

        return RequestRuleForm

    def get_fieldsets(self, request, obj=None):
        main = ["name", "is_active", "condition", "trigger", "run_time"]
        if obj is None:
            return [(None, {"fields": main})]
        return [
            (None, {"fields": ["owner", *main]}),
            ("Condition", {"fields": ["condition_text", "lead_list_link"]}),
            ("Try before switching on", {"fields": ["preview"]}),
        ]

    def save_model(self, request, obj, form, change):
        if obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Condition")
    def condition_text(self, rule: Rule):
        return condition_summary(rule)

    @admin.display(description="In the lead list")
    def lead_list_link(self, rule: Rule):
        url = reverse("admin:leads_lead_changelist")
        query = spec_to_query_string(rule.filters or {})
        return format_html('<a href="{}?{}">Show the leads this condition matches</a>', url, query)

    @admin.display(description="Runs")
    def runs_link(self, rule: Rule):
        url = reverse("admin:rules_ruleexecution_changelist")
        return format_html('<a href="{}?rule__id__exact={}">Runs</a>', url, rule.pk)

    @admin.display(description="Would have matched")
    def preview(self, rule: Rule):
        try:
            figures = rule_preview(filters=rule.filters or {}, exclude_rule_id=rule.pk)
        except LeadFilterError as error:
            return f"The condition is no longer valid: {error.message_dict}"
        peak = max([item["count"] for item in figures["per_day"]] + [1])
        return render_to_string("admin/rules/rule/preview.html", {"preview": figures, "peak": peak})

    def has_run_permission(self, request) -> bool:
        return request.user.has_perm("rules.run_rule")

    @admin.action(description="Run the selected rules now (by hand)", permissions=["run"])
    def run_now(self, request, queryset):
        from rules.tasks import run_rule

        rule_ids = list(queryset.values_list("pk", flat=True))
        for rule_id in rule_ids:
            transaction.on_commit(lambda rule_id=rule_id: run_rule.enqueue(rule_id, RuleTrigger.MANUAL, None, None))
        self.message_user(request, f"{len(rule_ids)} rule(s) queued to run.", messages.SUCCESS)

    @admin.action(description="Activate the selected rules", permissions=["change"])
    def activate(self, request, queryset):
        self.message_user(request, f"{queryset.update(is_active=True)} rule(s) activated.", messages.SUCCESS)

    @admin.action(description="Pause the selected rules", permissions=["change"])
    def pause(self, request, queryset):
        self.message_user(request, f"{queryset.update(is_active=False)} rule(s) paused.", messages.SUCCESS)


class ReadOnlyAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RuleExecution)
class RuleExecutionAdmin(ReadOnlyAdmin):
    # How long a run took instead of its finish time, and the actions count on the run's page:
    # eleven columns do not fit a 1280 px screen beside the filters.
    list_display = [
        "rule",
        "trigger",
        "status",
        "started_at",
        "took",
        "matched",
        "acted_on",
        "skipped",
        "errors",
        "outcomes_link",
    ]
    list_filter = ["status", "trigger", "rule"]
    list_select_related = ["rule"]
    date_hierarchy = "started_at"

    @admin.display(description="Matched", ordering="leads_matched")
    def matched(self, execution: RuleExecution) -> int:
        return execution.leads_matched

    @admin.display(description="Acted on", ordering="leads_acted")
    def acted_on(self, execution: RuleExecution) -> int:
        return execution.leads_acted

    @admin.display(description="Took")
    def took(self, execution: RuleExecution) -> str | None:
        if execution.started_at is None or execution.finished_at is None:
            return None
        return duration(execution.finished_at - execution.started_at)

    @admin.display(description="Per lead")
    def outcomes_link(self, execution: RuleExecution):
        url = reverse("admin:rules_ruleleadoutcome_changelist")
        return format_html('<a href="{}?execution__id__exact={}">Outcomes</a>', url, execution.pk)


@admin.register(RuleLeadOutcome)
class RuleLeadOutcomeAdmin(ReadOnlyAdmin):
    list_display = ["lead", "run", "outcome", "detail", "created_at"]
    list_filter = ["outcome", "rule"]
    list_select_related = ["execution__rule", "lead"]
    raw_id_fields = ["execution", "lead"]
    show_full_result_count = False
    spec_parameters = ("execution__id__exact",)  # the link from a run

    @admin.display(description="Run", ordering="execution__started_at")
    def run(self, outcome: RuleLeadOutcome):
        url = reverse("admin:rules_ruleexecution_change", args=[outcome.execution_id])
        return format_html('<a href="{}">{}, run {}</a>', url, outcome.execution.rule, outcome.execution_id)


class RuleClaimInline(admin.TabularInline):
    """On a lead's page: the rules that acted on it."""

    model = RuleLeadClaim
    formset = OptionalInlineFormSet
    extra = 0
    fields = ["rule", "trigger", "created_at", "execution"]
    readonly_fields = fields
    verbose_name = "rule that acted on this lead"
    verbose_name_plural = "rules that acted on this lead"
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The lead admin cannot import rules (leads sits below it); rules adds its inline to the lead page.
_lead_admin = admin.site._registry.get(Lead)
if _lead_admin is not None and RuleClaimInline not in _lead_admin.inlines:
    _lead_admin.inlines = [*_lead_admin.inlines, RuleClaimInline]
