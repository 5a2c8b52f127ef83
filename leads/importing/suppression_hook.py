"""The do-not-contact list at the door: the bulk write path's one suppression step.

After a row's contact fields are settled (normalised, or extracted from the title and description:
`leads.contact_fields`), the lead's state gets the keyed hashes of its e-mail address and phone
(`leads.contact_keys`). When either is on the list (`leads.suppression`, one query per batch) the
state's contact data is dropped, and the values are cut out of the title and description, before it
is written: the lead (the post) is still created or updated and keeps its keys, so it stays
flagged, and no scrape or import brings a suppressed person's contact data back.

Contact data already stored on a flagged lead is removed only by an erasure (`leads.suppression`):
rows that leave a lead's contacts as they are do not drop them, and the empty contact cells an
export writes for a flagged lead read as "as stored", so its update-ready file re-imports unchanged.
"""

from leads.contact_fields import location_regions
from leads.contact_keys import email_key, phone_key
from leads.importing.fields import CONTACT_FIELDS
from leads.suppression import CONTACT_DATA_FIELDS, contact_data_drop, suppressed_keys

KEY_FIELDS: tuple[str, ...] = ("email_key", "phone_key")


def flagged_pairs(stored: dict[tuple, dict]) -> set[tuple]:
    """The pairs of the stored leads whose contact keys are on the list (one query per batch)."""
    found = suppressed_keys(lead.get(name, "") for lead in stored.values() for name in KEY_FIELDS)
    return {pair for pair, lead in stored.items() if any(lead.get(name) in found for name in KEY_FIELDS)}


def exported_blanks_dropped(values: dict) -> dict:
    """A flagged lead's row without the empty contact cells its export wrote: they keep what is stored."""
    return {name: value for name, value in values.items() if name not in CONTACT_FIELDS or value}


def contacts_came_in(state: dict, *, before: dict | None) -> bool:
    """Whether a row brings contact data the lead did not hold (any for a new lead)."""
    if before is None:
        return True
    return any(state.get(name) != before.get(name) for name in (*CONTACT_DATA_FIELDS, *KEY_FIELDS))


def state_keys_set(state: dict) -> None:
    """Set the keys of a lead state's (normalised) e-mail and phone; an empty value keeps its key."""
    if state.get("email"):
        state["email_key"] = email_key(state["email"], normalised=True)
    if state.get("phone"):
        state["phone_key"] = phone_key(state["phone"], normalised=True)


def states_suppression_settle(states: list[dict]) -> list[dict]:
    """Drop the contact data of the states the list suppresses (in place); returns those states."""
    found = suppressed_keys(state.get(name, "") for state in states for name in KEY_FIELDS)
    if not found:
        return []
    dropped, regions = [], None
    for state in states:
        if any(state.get(name) in found for name in KEY_FIELDS):
            regions = location_regions() if regions is None else regions  # the phone is read in the site's country
            if contact_data_drop(state, region=regions.get(state.get("location_id"))):
                dropped.append(state)
    return dropped
