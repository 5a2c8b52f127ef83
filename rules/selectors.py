"""Read side of rules: "try before switching on" previews, the rules that acted on a lead."""

import datetime
from collections.abc import Mapping

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from leads.selectors import lead_filters_normalize, lead_list
from rules.models import Rule, RuleLeadClaim

PREVIEW_DAYS = 30
SHORT_DAYS = 7


def _window_spec(spec: Mapping, *, first_day: datetime.date) -> dict | None:
    """`spec` narrowed to leads found from `first_day` on (the spec's own dates kept when narrower)."""
    narrowed = dict(spec)
    if narrowed.get("date_from", "") < first_day.isoformat():
        narrowed["date_from"] = first_day.isoformat()
    if narrowed.get("date_to") and narrowed["date_to"] < narrowed["date_from"]:
        return None
    return narrowed


def rule_preview(*, filters: Mapping, exclude_rule_id: int | None = None, now=None) -> dict:
    """How many leads `filters` would have matched per day over the last 30 days, and overlaps.

    Keys: last_7_days, last_30_days (totals), per_day [{day, count}] oldest first (every day),
    overlaps [{rule_id, name, trigger, overlap}]: the other active rules, with how many of those
    leads they match too (most first). Raises LeadFilterError on a bad spec.
    """
    spec = lead_filters_normalize(filters=filters)
    today = timezone.localdate(now)
    first = today - datetime.timedelta(days=PREVIEW_DAYS - 1)
    window = _window_spec(spec, first_day=first)
    counts: dict[datetime.date, int] = {}
    matching = None
    if window is not None:
        matching = lead_list(filters=window).order_by()
        rows = (
            matching.annotate(day=TruncDate("scraped_at", tzinfo=timezone.get_current_timezone()))
            .values("day")
            .annotate(count=Count("pk"))
        )
        counts = {row["day"]: row["count"] for row in rows}
    days = [first + datetime.timedelta(days=offset) for offset in range(PREVIEW_DAYS)]
    per_day = [{"day": day.isoformat(), "count": counts.get(day, 0)} for day in days]
    short_first = today - datetime.timedelta(days=SHORT_DAYS - 1)
    overlaps = []
    others = Rule.objects.filter(is_active=True).exclude(pk=exclude_rule_id)
    for other in others:
        other_window = _window_spec(other.filters or {}, first_day=first)
        overlap = 0
        if matching is not None and other_window is not None:
            overlap = matching.filter(pk__in=lead_list(filters=other_window).order_by().values("pk")).count()
        overlaps.append(
            {"rule_id": other.pk, "name": other.name, "trigger": other.get_trigger_display(), "overlap": overlap}
        )
    overlaps.sort(key=lambda item: (-item["overlap"], item["name"]))
    return {
        "filters": spec,
        "last_7_days": sum(item["count"] for item in per_day if item["day"] >= short_first.isoformat()),
        "last_30_days": sum(item["count"] for item in per_day),
        "per_day": per_day,
        "overlaps": overlaps,
    }


def lead_rule_history(*, lead_id: int):
    """The rules that acted on a lead: one claim per rule and trigger, newest first."""
    return RuleLeadClaim.objects.filter(lead_id=lead_id).select_related("rule", "execution").order_by("-created_at")
