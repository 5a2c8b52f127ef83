"""How a stored (normalized) lead filter spec reads to a person: export records, files and pages show it."""

from collections.abc import Iterable, Mapping

from leads.filters import FILTER_PARAMETERS, LeadFilterSet
from leads.models import LeadStatus, Location


def lead_filters_location_names(*, specs: Iterable[Mapping]) -> dict[int, str]:
    """Names of every location a set of stored specs refers to by id, in one query."""
    ids = {pk for spec in specs for pk in (spec or {}).get("location_ids") or [] if isinstance(pk, int)}
    if not ids:
        return {}
    return dict(Location.objects.filter(pk__in=ids).values_list("pk", "name"))


def lead_filters_summary(*, filters: Mapping | None, location_names: Mapping[int, str] | None = None) -> str:
    """A short readable sentence of a stored (normalized) spec, e.g. "Status: New · Has e-mail: yes".

    `location_names` (from lead_filters_location_names) avoids a query per record on a list page.
    """
    return " · ".join(lead_filters_items(filters=filters, location_names=location_names)) or "All leads"


def lead_filters_items(*, filters: Mapping | None, location_names: Mapping[int, str] | None = None) -> list[str]:
    """The spec as "Label: value" items, one per parameter, in the FilterSet's order ([] for all leads)."""
    if not filters:
        return []
    if location_names is None:
        location_names = lead_filters_location_names(specs=[filters])
    parts = [_describe(name, filters[name], location_names) for name in FILTER_PARAMETERS if name in filters]
    # Keys the current FilterSet no longer knows are shown as stored rather than hidden.
    parts.extend(f"{name}: {_join(value)}" for name, value in filters.items() if name not in FILTER_PARAMETERS)
    return parts


def _describe(name: str, value, location_names: Mapping[int, str]) -> str:
    label = LeadFilterSet.base_filters[name].label or name
    if name == "ids":
        count = len(value) if isinstance(value, (list, tuple)) else 1
        return f"{count} selected lead{'' if count == 1 else 's'}"
    if name == "status":
        labels = dict(LeadStatus.choices)
        return f"{label}: {_join([labels.get(item, item) for item in _as_list(value)])}"
    if name == "location_ids":
        return f"Locations: {_join([location_names.get(pk, f'#{pk}') for pk in _as_list(value)])}"
    if isinstance(value, bool):
        return f"{label}: {'yes' if value else 'no'}"
    if name == "q":
        return f"{label}: “{value}”"
    return f"{label}: {_join(value)}"


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _join(value) -> str:
    return ", ".join(str(item) for item in _as_list(value))
