"""How analytics figures read to a person, on the dashboard and the command line.

The analytics dicts keep raw, JSON-safe values; these turn them into text.
"""

import datetime
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma

DASH = "\u2013"  # an en dash, for ranges such as "Mar 2-8"


def number(value: int | None) -> str:
    return "—" if value is None else intcomma(value)


def percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{fraction * 100:.1f} %"


def price(value: str | None) -> str:
    if value is None:
        return "—"
    amount = Decimal(value)
    whole = amount == amount.to_integral()
    return f"${intcomma(f'{amount:.0f}' if whole else f'{amount:.2f}')}"


def duration(value: float | None) -> str:
    if value is None:
        return "—"
    minutes, secs = divmod(round(value), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def file_size(value: int | None) -> str:
    if value is None:
        return "—"
    size = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def period(start: str, end: str, granularity: str) -> str:
    """A bucket's label: "Mar 3" for a day, "Mar 3-9" (en dash) for a week, "Mar 2026" for a month."""
    first = datetime.date.fromisoformat(start)
    if granularity == "month":
        return first.strftime("%b %Y")
    label = f"{first:%b} {first.day}"
    if granularity == "week":
        last = datetime.date.fromisoformat(end)
        label += f"{DASH}{last.day}" if last.month == first.month else f"{DASH}{last:%b} {last.day}"
    return label


def price_band(low: str, high: str | None) -> str:
    if high is None:
        return f"{price(low)}+"
    return f"{price(low)}{DASH}{price(str(Decimal(high) - Decimal('0.01')))}"
