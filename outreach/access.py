"""Who sees which auto-responses.

Managers (`outreach.view_all_autoresponses`, or superusers) see every message. Sales staff see the
messages sent to leads assigned to them (`Lead.assigned_to`; on a tree without that field, none).
Addresses (`to_email`) follow the one contact rule, `leads.contact_access.contact_info_visible`.
"""

from leads.contact_access import contact_info_visible
from leads.models import Lead

VIEW_ALL = "outreach.view_all_autoresponses"
MARK_REPLIED = "outreach.mark_replied"


def leads_have_assignment() -> bool:
    return any(field.name == "assigned_to" for field in Lead._meta.get_fields())


def auto_responses_visible_to(queryset, *, user):
    if user is None or not user.is_active:
        return queryset.none()
    if user.has_perm(VIEW_ALL):
        return queryset
    if leads_have_assignment():
        return queryset.filter(lead__assigned_to=user)
    return queryset.none()


def addresses_visible(*, user) -> bool:
    return contact_info_visible(user=user)
