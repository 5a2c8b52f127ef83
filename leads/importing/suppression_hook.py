"""The do-not-contact list at the door: the bulk write path's one suppression step.

Each cleaned row gets the keyed hashes of the e-mail address and phone number it gives
(`leads.contact_keys`). When either is on the list (`leads.suppression`, one query per batch) the
row's contact data is dropped before it is matched and written: the lead (the post) is still
created or updated, it keeps the keys, so it stays flagged, and no scrape or import brings a
suppressed person's contact data back.
"""

from leads.contact_keys import email_key, phone_key
from leads.models import Lead
from leads.suppression import suppressed_keys

KEY_FIELDS: tuple[str, ...] = ("email_key", "phone_key")
_KEY_OF = {"email": ("email_key", email_key), "phone": ("phone_key", phone_key)}
# Every contact field the lead has (the normalisation adds *_as_posted twins of e-mail and phone).
_CONTACT_DATA = tuple(
    name
    for name in ("contact_name", "email", "phone", "email_as_posted", "phone_as_posted")
    if any(field.name == name for field in Lead._meta.get_fields())
)


def rows_suppression_applied(rows) -> None:
    """Set the rows' contact keys and drop the contact data of rows the list suppresses (in place)."""
    keyed = []
    for row in rows:
        if row.errors:
            continue
        for name, (key_name, hashed) in _KEY_OF.items():
            value = row.values.get(name)
            if value:
                row.values[key_name] = hashed(value)
        if any(row.values.get(key_name) for key_name in KEY_FIELDS):
            keyed.append(row)
    suppressed = suppressed_keys(row.values.get(name, "") for row in keyed for name in KEY_FIELDS)
    if not suppressed:
        return
    for row in keyed:
        if any(row.values.get(name) in suppressed for name in KEY_FIELDS):
            row.values.update(dict.fromkeys(_CONTACT_DATA, ""))
