"""The messages sent (auto-responses): read-only, filtered as the dashboard links them; staff mark replies.

Managers (outreach.view_all_autoresponses) see every message; sales staff the messages to leads
assigned to them (`Lead.assigned_to`). The
address is shown only with the contact permission (leads.contact_access).
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from leads.admin.strict_changelist import SpecOnlyAdminMixin
from leads.models import LeadStatus
from outreach.access import MARK_REPLIED, addresses_visible
from outreach.admin.message_events import latest_event_text
from outreach.models import AutoResponse
from outreach.services.tracking import auto_response_replied

FIELDS = (
    "lead_link", "template", "variant", "ab_test", "rule_execution_id", "status", "outcome", "message_id", "error",
    "queued_at", "claimed_at", "sent_at", "delivered_at", "replied_at", "bounced_at", "opted_out_at", "failed_at",
)  # fmt: skip


@admin.register(AutoResponse)
class AutoResponseAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    # One column per question a person asks of a message (which, to whom, what happened, when):
    # a column per timestamp does not fit a 1280 px screen beside the filters.
    list_display = ("id", "lead_link", "message", "status", "outcome", "queued_at", "latest_event")
    list_filter = ("status", "template", "variant", "ab_test")
    date_hierarchy = "queued_at"
    search_fields = ("lead__title",)
    list_select_related = ("lead", "template", "variant")
    actions = ["mark_replied"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user).select_related("lead", "template", "variant")

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        return [*shown[:2], "to_email", *shown[2:]] if addresses_visible(user=request.user) else shown

    def get_fields(self, request, obj=None):
        return ("to_email", *FIELDS) if addresses_visible(user=request.user) else FIELDS

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_search_fields(self, request):
        return ("lead__title", "to_email") if addresses_visible(user=request.user) else ("lead__title",)

    def has_add_permission(self, request):
        return False  # messages are queued by rules and services, never typed in

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_mark_replied_permission(self, request) -> bool:
        return request.user.has_perm(MARK_REPLIED)

    @admin.display(description="Lead")
    def lead_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:leads_lead_change", args=[obj.lead_id]), obj.lead)

    @admin.display(description="Message", ordering="template__name")
    def message(self, obj) -> str:
        return str(obj.variant) if obj.variant_id else str(obj.template)

    @admin.display(description="Latest")
    def latest_event(self, obj) -> str:
        return latest_event_text(obj)

    @admin.display(description="Outcome")
    def outcome(self, obj) -> str:
        return LeadStatus(obj.outcome).label if obj.outcome else "-"

    @admin.action(description="Mark the selected messages replied", permissions=["mark_replied"])
    def mark_replied(self, request, queryset):
        marked = sum(auto_response_replied(row, user=request.user) for row in queryset)
        self.message_user(request, f"{marked} marked replied.", messages.SUCCESS)
