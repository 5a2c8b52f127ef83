"""The do-not-contact list at the door: the bulk write path's one suppression step.

After a row's contact fields are settled (normalised, or extracted from the title and description:
`leads.contact_fields`), the lead's state gets the keyed hashes of its e-mail address and phone
(`leads.contact_keys`). When either is on the list (`leads.suppression`, one query per batch) the
state's contact data is dropped, and the values are cut out of the title and description, before it
is written: the lead (the post) is still created or updated and keeps its keys, so it stays
flagged, and no scrape or import brings a suppressed person's contact data back.
"""

from leads.contact_fields import location_regions
from leads.contact_keys import email_key, phone_key
from leads.suppression import contact_data_drop, suppressed_keys

KEY_FIELDS: tuple[str, ...] = ("email_key", "phone_key")


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
