"""A lead's stored contact fields, derived from what its post gave.

From the e-mail and phone a post gave (as posted) and its title and description, one function
decides every stored contact field, so the import, the ingest, the admin and
`manage.py normalise_contacts` cannot disagree:

- `email` / `phone`: the normalised forms (`leads.contact_normalisation`); `email_as_posted` /
  `phone_as_posted`: the text as posted;
- when the post gave neither, the first e-mail address and phone number written in the title or
  description (`leads.contact_extraction`), with `contact_extracted` set;
- `contact_quality`: valid (at least one contact is valid), invalid (contacts, none valid) or none.
"""

from collections.abc import Mapping

from leads.contact_extraction import contacts_extract
from leads.contact_normalisation import DEFAULT_REGION, contact_quality, normalise_email, normalise_phone
from leads.models import ContactQuality, Lead, Location

# The stored fields this module decides (besides email and phone).
DERIVED_FIELDS: tuple[str, ...] = ("email_as_posted", "phone_as_posted", "contact_quality", "contact_extracted")
CONTACT_STATE_FIELDS: tuple[str, ...] = ("email", "phone", *DERIVED_FIELDS)
_LIMITS = {name: Lead._meta.get_field(name).max_length for name in CONTACT_STATE_FIELDS[:4]}


def lead_contact_values(*, email: str, phone: str, title: str, description: str, region: str) -> dict:
    """The stored contact fields of a lead whose post gave `email` and `phone` (as posted, "" for none)."""
    found_email, found_phone = normalise_email(email), normalise_phone(phone, region)
    extracted = False
    if not found_email.value and not found_phone.value:
        found_email, found_phone = contacts_extract(f"{title or ''}\n{description or ''}", region)
        extracted = bool(found_email.value or found_phone.value)
    values = {
        "email": found_email.value,
        "phone": found_phone.value,
        "email_as_posted": found_email.as_posted,
        "phone_as_posted": found_phone.as_posted,
    }
    # A value longer than the column (only a posted text that is not an address) is cut to fit.
    values = {name: value[: _LIMITS[name]] for name, value in values.items()}
    values["contact_quality"] = contact_quality(found_email, found_phone)
    values["contact_extracted"] = extracted
    return values


def posted_contacts(lead: Mapping) -> tuple[str, str]:
    """(e-mail, phone) as the stored lead's post gave them; extracted ones were not given."""
    if lead.get("contact_extracted"):
        return "", ""
    return (lead.get("email_as_posted") or lead.get("email") or ""), (
        lead.get("phone_as_posted") or lead.get("phone") or ""
    )


def location_regions() -> dict[int, str]:
    """Each location's country (the region its phone numbers are read in), by location id."""
    return dict(Location.objects.values_list("pk", "country"))


def contacts_settle(state: dict, *, before: Mapping | None, given: Mapping, region: str | None) -> None:
    """Set the contact fields of `state` (a lead's values after a row was applied) in place.

    `given` holds the row's values: its "email" / "phone", when present, are what the post gave;
    otherwise the stored lead's posted contacts stand. Nothing is recomputed when neither the
    posted contacts nor the title and description changed; a contact given back in its stored
    (normalised) form, as an update-ready export writes it, is unchanged too (normalising a
    normalised value gives it back), so re-importing an export normalises nothing again.
    """
    stored_email, stored_phone = posted_contacts(before) if before is not None else ("", "")
    email = given.get("email", stored_email)
    phone = given.get("phone", stored_phone)
    if before is not None and before.get("contact_extracted"):
        # A file giving back the contacts found in the text (an export re-imported) posts nothing new.
        email = stored_email if email == before.get("email") else email
        phone = stored_phone if phone == before.get("phone") else phone
    if (
        before is not None
        and before.get("contact_quality") != ContactQuality.PENDING
        and email in (stored_email, before.get("email") or stored_email)
        and phone in (stored_phone, before.get("phone") or stored_phone)
        and state.get("title") == before.get("title")
        and state.get("description") == before.get("description")
    ):
        state.update({name: before[name] for name in CONTACT_STATE_FIELDS})
        return
    values = lead_contact_values(
        email=email,
        phone=phone,
        title=state.get("title", ""),
        description=state.get("description", ""),
        region=region or DEFAULT_REGION,
    )
    if before is not None:
        # The same contact written another way (an export's E.164 phone imported back): keep what the post said.
        for kind in ("email", "phone"):
            if values[kind] and values[kind] == before.get(kind) and before.get(f"{kind}_as_posted"):
                values[f"{kind}_as_posted"] = before[f"{kind}_as_posted"]
    state.update(values)
