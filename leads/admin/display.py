"""Small HTML pieces the lead admins show in their columns: badges, money, contact icons, durations.

Colours come from CSS classes in static/leads/admin.css (light and dark theme), never inline styles.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from leads.analytics import formatting as fmt
from leads.models import LeadStatus, ScrapeRunStatus

# One colour family ("tone") per status, so a lead's stage reads at a glance.
STATUS_TONES: dict[str, str] = {
    LeadStatus.NEW: "blue",
    LeadStatus.CONTACTED: "amber",
    LeadStatus.QUALIFIED: "violet",
    LeadStatus.CONVERTED: "green",
    LeadStatus.REJECTED: "grey",
    ScrapeRunStatus.RUNNING: "blue",
    ScrapeRunStatus.SUCCESS: "green",
    ScrapeRunStatus.PARTIAL: "amber",
    ScrapeRunStatus.FAILED: "red",
}

# Inline so the icons take the text colour (currentColor) in both themes.
_ENVELOPE = (
    '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">'
    '<path fill="currentColor" d="M2 3h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H2a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1Zm0 '
    '1.4V12h12V4.4L8.5 8.6a.8.8 0 0 1-1 0L2 4.4ZM3.2 4 8 7.6 12.8 4H3.2Z"/></svg>'
)
_PHONE = (
    '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">'
    '<path fill="currentColor" d="M4.2 1.5c.4-.2.9 0 1.1.4l1.4 2.6c.2.4.1.8-.2 1.1L5.4 6.7c.7 1.6 2.3 3.2 3.9 '
    "3.9l1.1-1.1c.3-.3.7-.4 1.1-.2l2.6 1.4c.4.2.6.7.4 1.1l-.7 1.9c-.2.5-.7.8-1.2.8C7 14.3 1.7 9 1.5 3.4c0-.5.3-1 "
    '.8-1.2l1.9-.7Z"/></svg>'
)


def status_badge(value: str, label: str) -> SafeString:
    tone = STATUS_TONES.get(value, "grey")
    return format_html('<span class="lead-badge lead-badge--{}">{}</span>', tone, label)


QUALITY_TONES = {"valid": "green", "invalid": "red", "none": "grey", "pending": "amber"}


def contact_quality_badge(quality: str, label: str, *, extracted: bool) -> SafeString:
    """The lead's contact quality; "found in text" when its contacts were extracted from the post."""
    tone = QUALITY_TONES.get(quality, "grey")
    note = " (found in text)" if extracted else ""
    return format_html('<span class="lead-badge lead-badge--{}">{}{}</span>', tone, label, note)


def suppressed_badge() -> SafeString:
    """The lead is on the do-not-contact list: never contacted, its contact data never exported."""
    return format_html(
        ' <span class="lead-badge lead-badge--red" title="{}">Do not contact</span>',
        "On the do-not-contact list: no messages, and exports leave its contact fields empty.",
    )


def money(amount: Decimal | None) -> str | None:
    """US dollars as Craigslist shows them: "$1,250", or "$19.99" when there are cents; None when unpriced."""
    if amount is None:
        return None
    if amount == amount.to_integral_value():
        return f"${amount:,.0f}"
    return f"${amount:,.2f}"


def contact_icons(*, email: str, phone: str, show_values: bool = True) -> SafeString:
    """An e-mail and a phone icon: a mailto:/tel: link when the lead has it, a faint icon when not.

    With `show_values=False` (a user who may not see contact details) a present value is a plain
    icon saying only "Has e-mail" / "Has phone": the value is nowhere in the page.
    """
    parts = []
    for value, icon, scheme, present_label, missing_label in (
        (email, _ENVELOPE, "mailto", "E-mail", "No e-mail"),
        (phone, _PHONE, "tel", "Phone", "No phone"),
    ):
        if value and not show_values:
            parts.append(
                format_html(
                    '<span class="lead-contact lead-contact--on" title="Has {}">{}<span class="visually-hidden">'
                    "Has {}</span></span>",
                    present_label.lower(),
                    mark_safe(icon),  # a constant above, no user data
                    present_label.lower(),
                )
            )
        elif value:
            parts.append(
                format_html(
                    '<a class="lead-contact lead-contact--on" href="{}:{}" title="{}: {}">{}'
                    '<span class="visually-hidden">{}</span></a>',
                    scheme,
                    value,
                    present_label,
                    value,
                    mark_safe(icon),  # a constant above, no user data
                    present_label,
                )
            )
        else:
            parts.append(
                format_html(
                    '<span class="lead-contact lead-contact--off" title="{}">{}<span class="visually-hidden">{}</span>'
                    "</span>",
                    missing_label,
                    mark_safe(icon),  # a constant above, no user data
                    missing_label,
                )
            )
    return format_html('<span class="lead-contacts">{}{}</span>', *parts)


def moment(value: datetime.datetime) -> SafeString:
    """A local date-time in the site's one style ("1 Dec 2026 18:05"), machine-readable in <time>."""
    local = timezone.localtime(value)
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), date_format(local, "DATETIME_FORMAT"))


def duration(delta: datetime.timedelta | None) -> str | None:
    """A duration as the dashboard writes it ("45 s", "3 min 12 s", "2 h 05 min"); None while unknown."""
    if delta is None:
        return None
    return fmt.duration(max(delta.total_seconds(), 0))


def duplicate_group(group, *, merged_into_id: int | None = None) -> SafeString | str:
    """The size of a lead's duplicate group, linking to the group's page; "merged" for a merged duplicate."""
    if group is None:
        return "—"
    from django.urls import reverse

    url = reverse("duplicates:group", args=[group.pk])
    if merged_into_id is not None:
        return format_html(
            '<a href="{}" class="duplicate-group merged" title="Merged into lead #{}">merged</a>', url, merged_into_id
        )
    return format_html(
        '<a href="{}" class="duplicate-group" title="{} leads in its duplicate group">{}</a>',
        url,
        group.size,
        group.size,
    )
