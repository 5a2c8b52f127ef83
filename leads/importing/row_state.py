"""What one row does to a stored lead: its outcome, the check of its optional id, and the values after it.

Pure functions of plain dicts (no queries), used by `leads.importing.upsert` for every row.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone

from leads.importing.suppression_hook import KEY_FIELDS
from leads.models import LeadStatus


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What became of one row; `errors` maps a field ("" for the row as a whole) to its messages."""

    number: int
    outcome: Outcome
    errors: dict[str, list[str]] = field(default_factory=dict)
    lead_id: int | None = None


MOMENTS = ("posted_at", "scraped_at")
MODEL_NAME = {"location": "location_id", "category": "category_id"}


def identity_errors(row, *, before: dict | None, named: dict[int, dict]) -> dict[str, list[str]]:
    """A row's `id` is only a check: the errors when it is not the id of the lead its pair names."""
    lead_id = row.values.get("id")
    if lead_id is None:
        return {}
    if before is not None and before.get("id") == lead_id:
        return {}
    if before is not None and before.get("id") is not None:
        message = (
            f"id {lead_id} does not match this row's location and source_post_id, which are lead {before['id']}'s; "
            "an import cannot change a lead's location or post id"
        )
    elif (other := named.get(lead_id)) is not None:
        message = (
            f"lead {lead_id} is post {other['source_post_id']} at {other['location__site_code']}, not this row's "
            "location and source_post_id; an import cannot change a lead's location or post id"
        )
    else:
        message = f"no lead has id {lead_id}; leave id empty to add a new lead"
    return {"id": [message]}


def merged_state(before: dict | None, values: dict) -> dict:
    """The lead's stored values after a row's `values` (a new lead's defaults when `before` is None)."""
    if before is None:
        state = {"id": None, "status": LeadStatus.NEW, "scraped_at": timezone.now(), "url": "", "description": ""}
        state |= {"price": None, "contact_name": "", "email": "", "phone": "", "posted_at": None}
        state |= dict.fromkeys(KEY_FIELDS, "")
    else:
        state = dict(before)
    state.update(values)
    state["id"] = None if before is None else before["id"]  # a row's id is a check, never a value
    for name in MOMENTS:
        value = values.get(name)
        # Files often hold whole seconds while the database keeps microseconds: the same second is
        # the same moment, so an unchanged file leaves the lead unchanged.
        stored = None if before is None else before.get(name)
        if (
            stored is not None
            and value is not None
            and value.microsecond == 0
            and stored.replace(microsecond=0) == value
        ):
            state[name] = stored
    for name, model_name in MODEL_NAME.items():
        if name in state:
            state[model_name] = state.pop(name)
    return state
