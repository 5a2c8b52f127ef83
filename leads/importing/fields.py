"""The lead fields an import file (or an ingest batch) may hold, declared once.

Exports read `LEAD_FILE_FIELDS` for their default (update-ready) column list, so a default export
holds every field the import reads and re-imports completely.

Headers are matched in any case, with spaces or dashes for underscores and a trailing
parenthesis dropped, so both the field names of an update-ready export (`source_post_id`,
`scraped_at`) and the labels of a readable one ("Post ID", "Found at (America/Los_Angeles)") are
understood.
"""

import re

# Every field a file may set, in the order a default export writes them.
LEAD_FILE_FIELDS: tuple[str, ...] = (
    "id",
    "source_post_id",
    "title",
    "description",
    "price",
    "status",
    "location",
    "category",
    "url",
    "contact_name",
    "email",
    "phone",
    "posted_at",
    "scraped_at",
)
# What people read for each field: the readable export's headers and the import preview's columns.
LEAD_FILE_LABELS: dict[str, str] = {
    "id": "ID",
    "source_post_id": "Post ID",
    "title": "Title",
    "description": "Description",
    "price": "Price",
    "status": "Status",
    "location": "Location",
    "category": "Category",
    "url": "URL",
    "contact_name": "Contact name",
    "email": "E-mail",
    "phone": "Phone",
    "posted_at": "Posted at",
    "scraped_at": "Found at",
}
# Every file needs these: they say which lead a row is.
IDENTITY_FIELDS: tuple[str, ...] = ("location", "source_post_id")
# A new lead cannot be made without these (a file may leave them out when it only updates).
NEW_LEAD_FIELDS: tuple[str, ...] = ("title", "category")
# Contact data: hidden in previews from users who may not see contact information.
CONTACT_FIELDS: frozenset[str] = frozenset({"contact_name", "email", "phone"})
# Fields that become model fields as they are (location, category and id are handled apart).
MODEL_VALUE_FIELDS: tuple[str, ...] = tuple(
    name for name in LEAD_FILE_FIELDS if name not in ("id", "location", "category", "source_post_id")
)
# Stored with them, decided from the posted contacts (leads.contact_fields), never read from a file.
CONTACT_DERIVED_FIELDS: tuple[str, ...] = ("email_as_posted", "phone_as_posted", "contact_quality", "contact_extracted")
# Every lead field the bulk write path reads and writes (leads.importing.upsert / writing).
STORED_VALUE_FIELDS: tuple[str, ...] = (*MODEL_VALUE_FIELDS, *CONTACT_DERIVED_FIELDS)

# The labels a readable export writes, where they differ from the field name.
_LABEL_ALIASES = {"post_id": "source_post_id", "found_at": "scraped_at", "e_mail": "email"}
_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")


def header_key(value) -> str:
    """A header cell in normal form: "Found at (UTC)" -> "found_at", " Post-ID " -> "post_id"."""
    if value is None:
        return ""
    text = _PARENTHESIS.sub("", str(value).strip()).strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def header_field(value) -> str | None:
    """The lead field a header names, or None for a column the import does not read."""
    key = header_key(value)
    key = _LABEL_ALIASES.get(key, key)
    return key if key in LEAD_FILE_FIELDS else None
