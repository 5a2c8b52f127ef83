"""What an export should hold, computed from model instances (not from the export code)."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from leads.selectors import lead_list

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
DATE_KEYS = {"posted_at", "scraped_at", "updated_at"}
TEXT_KEYS = {
    "source_post_id",
    "title",
    "description",
    "status",
    "location",
    "location_code",
    "category",
    "category_code",
    "url",
    "contact_name",
    "email",
    "phone",
}


def selected_leads(filters):
    """The leads the filter selects, in the list's order, as model instances."""
    return list(lead_list(filters=filters))


def readable_value(lead, key):
    """A column's human value: labels and names, aware datetimes in the site's zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    if key == "status":
        return lead.get_status_display()
    if key == "location":
        return lead.location.name
    if key == "location_code":
        return lead.location.site_code
    if key == "category":
        return lead.category.name
    if key == "category_code":
        return lead.category.code
    if key in DATE_KEYS:
        value = getattr(lead, key)
        return None if value is None else value.astimezone(zone)
    return getattr(lead, key)


def raw_value(lead, key):
    """A column's update-ready value: codes instead of names and labels."""
    if key == "status":
        return lead.status
    if key == "location":
        return lead.location.site_code
    if key == "category":
        return lead.category.code
    return readable_value(lead, key)


def quoted(text: str) -> str:
    return "'" + text if text and text.startswith(TRIGGERS) else text


def csv_text(value, key, *, raw=False) -> str:
    """How the CSV spells a value."""
    if value is None:
        return ""
    if key in DATE_KEYS:
        return value.isoformat() if raw else value.strftime("%Y-%m-%d %H:%M:%S")
    if key in TEXT_KEYS:
        return quoted(value)
    return str(value)


def local_naive_seconds(value: datetime.datetime) -> datetime.datetime:
    return value.replace(tzinfo=None, microsecond=0)
