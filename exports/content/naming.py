"""The name an export's file is served under: what is inside, when, and safe characters only.

    <data type>_<short filter summary>_<YYYYmmdd-HHMMSS>.<ext>
    e.g. leads_new-contacted_sfbay_20261127-093000.csv

The summary is built from the stored spec (status codes, locations, categories, dates, prices,
keywords, ...; locations by their site codes), every part reduced to ASCII letters, digits and
hyphens by slugify, and cut at a word boundary within SUMMARY_MAX characters; "all" when nothing
is filtered. The time is the export's creation in
the site's time zone. User text never reaches the name unsanitised.
"""

from collections.abc import Mapping

from django.utils import timezone
from django.utils.text import slugify

from exports.datasets.registry import get_dataset
from exports.formats.registry import get_format
from exports.models import Export
from leads.models import Location

SUMMARY_MAX = 60


def export_file_name(*, export: Export) -> str:
    try:
        dataset = get_dataset(export.data_type)
        prefix = slugify(dataset.file_prefix or dataset.key) or "export"
    except LookupError:
        prefix = "export"
    moment = timezone.localtime(export.created_at or timezone.now(), timezone.get_default_timezone())
    extension = get_format(export.format).extension
    return f"{prefix}_{filters_slug(export.filters or {})}_{moment:%Y%m%d-%H%M%S}.{extension}"


def filters_slug(spec: Mapping) -> str:
    """A short, safe summary of a spec: e.g. "new-contacted_sfbay_from-2026-11-01"."""
    parts = []
    for name, render in _PARTS:
        if spec.get(name) not in (None, "", [], ()):
            part = slugify(render(spec[name]))
            if part:
                parts.append(part)
    return _cut("_".join(parts)) or "all"


def _cut(summary: str) -> str:
    """At most SUMMARY_MAX characters, ending after a whole filter (or at least a whole word; never "..._mi")."""
    if len(summary) <= SUMMARY_MAX:
        return summary
    head = summary[: SUMMARY_MAX + 1]
    boundary = head.rfind("_") if head.rfind("_") > 0 else head.rfind("-")
    return (head[:boundary] if boundary > 0 else summary[:SUMMARY_MAX]).rstrip("-_")


def _site_codes(value) -> str:
    """Location ids as their site codes (what people recognise), in the order given."""
    ids = [int(item) for item in (value if isinstance(value, (list, tuple)) else [value]) if str(item).isdigit()]
    codes = dict(Location.objects.filter(pk__in=ids).values_list("pk", "site_code"))
    return "-".join(codes.get(pk, f"location-{pk}") for pk in ids)


def _joined(value) -> str:
    return "-".join(str(item) for item in value) if isinstance(value, (list, tuple)) else str(value)


def _count(label: str):
    return lambda value: f"{len(value) if isinstance(value, (list, tuple)) else 1} {label}"


def _yes_no(word: str):
    return lambda value: word if value is True else f"no {word}"


_PARTS = (
    ("status", _joined),
    ("location_names", _joined),
    ("location_ids", _site_codes),
    ("categories", _joined),
    ("date_from", lambda value: f"from {value}"),
    ("date_to", lambda value: f"to {value}"),
    ("min_price", lambda value: f"min {value}"),
    ("max_price", lambda value: f"max {value}"),
    ("has_email", _yes_no("email")),
    ("has_phone", _yes_no("phone")),
    ("keywords", _joined),
    ("exclude_keywords", lambda value: "without " + _joined(value)),
    ("q", lambda value: f"search {value}"),
    ("ids", _count("selected")),
    ("limit", lambda value: f"first {value}"),
)
