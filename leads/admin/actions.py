"""Bulk actions of the lead changelist: move the selected leads to another status."""

from collections.abc import Callable

from django.contrib import admin, messages

from leads.models import LeadStatus
from leads.services import lead_status_bulk_update


def _mark_as(status: LeadStatus) -> Callable:
    @admin.action(description=f"Mark selected leads as {status.label.lower()}", permissions=["change"])
    def action(modeladmin, request, queryset):
        changed = lead_status_bulk_update(leads=queryset, status=status, user=request.user)
        if changed:
            noun = "lead" if changed == 1 else "leads"
            modeladmin.message_user(request, f"Marked {changed:,} {noun} as {status.label.lower()}.", messages.SUCCESS)
        else:
            modeladmin.message_user(request, f"The selected leads were already {status.label.lower()}.", messages.INFO)

    # The admin tells actions apart by function name.
    action.__name__ = action.__qualname__ = f"mark_{status.value}"
    return action


mark_contacted = _mark_as(LeadStatus.CONTACTED)
mark_qualified = _mark_as(LeadStatus.QUALIFIED)
mark_converted = _mark_as(LeadStatus.CONVERTED)
mark_rejected = _mark_as(LeadStatus.REJECTED)
mark_new = _mark_as(LeadStatus.NEW)

STATUS_ACTIONS = (mark_contacted, mark_qualified, mark_converted, mark_rejected, mark_new)
