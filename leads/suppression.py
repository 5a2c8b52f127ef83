"""The do-not-contact list's services: is a person suppressed, suppress them, which leads are.

The list holds keyed hashes only (`leads.contact_keys`); each lead carries the keys of its own
contact fields, so `Lead.objects.suppressed()` / `.not_suppressed()` are single set-based queries.
It is consulted wherever contact data comes in or goes out: the bulk write path (ingest and file
import) drops a suppressed person's contact data, exports leave it empty, outreach sends nothing.
"""

import re
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef

from leads.contact_keys import email_key, phone_key
from leads.contact_normalisation import DEFAULT_REGION
from leads.contact_spans import email_spans, phone_spans, spans_cut
from leads.suppression_models import Suppression, SuppressionKind, SuppressionReason
from leadsite.batch_sql import values_in

# The contact fields a suppressed person's lead loses (the lead itself, a Craigslist post, stays).
CONTACT_DATA_FIELDS: tuple[str, ...] = ("contact_name", "email", "phone", "email_as_posted", "phone_as_posted")
REMOVED = "[removed]"


class SuppressionError(ValueError):
    """The request cannot be carried out; the message is a sentence for the person asking."""


def keys_for(*, email: str = "", phone: str = "") -> list[tuple[str, str]]:
    """(kind, key) of the given e-mail address and phone number, those given only."""
    pairs = []
    if key := email_key(email):
        pairs.append((SuppressionKind.EMAIL, key))
    if key := phone_key(phone):
        pairs.append((SuppressionKind.PHONE, key))
    return pairs


def is_suppressed(*, email: str = "", phone: str = "") -> bool:
    """True when the e-mail address or the phone number is on the do-not-contact list."""
    keys = [key for _, key in keys_for(email=email, phone=phone)]
    return bool(keys) and Suppression.objects.filter(key__in=keys).exists()


def suppressed_keys(keys: Iterable[str]) -> set[str]:
    """The keys among `keys` that are on the list (one query; for batches)."""
    wanted = {key for key in keys if key}
    if not wanted:
        return set()
    # One parameter for the whole batch (leadsite.batch_sql), however many keys it holds.
    return set(Suppression.objects.filter(key__in=values_in(wanted, db_type="text")).values_list("key", flat=True))


def suppress(*, email: str = "", phone: str = "", reason: str, added_by=None) -> list[Suppression]:
    """Put the e-mail address and/or phone number on the list; returns their entries (old or new).

    An entry already on the list keeps its first reason and author. The leads that hold the value
    are flagged at once (they carry its key); their contact data is removed only by an erasure.
    """
    if reason not in SuppressionReason.values:
        raise SuppressionError(f"unknown reason {reason!r}; choose one of {', '.join(SuppressionReason.values)}")
    pairs = keys_for(email=email, phone=phone)
    if not pairs:
        raise SuppressionError("give an e-mail address or a phone number to suppress")
    return suppress_keys(pairs, reason=reason, added_by=added_by)


def suppress_keys(pairs: Iterable[tuple[str, str]], *, reason: str, added_by=None) -> list[Suppression]:
    """Put already-hashed (kind, key) pairs on the list (the list's import); returns their entries."""
    pairs = list(dict.fromkeys(pairs))
    with transaction.atomic():
        Suppression.objects.bulk_create(
            [Suppression(kind=kind, key=key, reason=reason, added_by=added_by) for kind, key in pairs],
            ignore_conflicts=True,
        )
        found = {entry.key: entry for entry in Suppression.objects.filter(key__in=[key for _, key in pairs])}
    return [found[key] for _, key in pairs if key in found]


def contact_data_drop(values: dict, *, region: str | None = None) -> bool:
    """Empty the contact fields of a lead's values and cut them out of its title and description.

    Works on a dict of field values (the bulk write path's states) or, through `vars()`, a lead.
    The phone is cut however the text spells it, as long as the contact extraction would read it as
    the same number (in `region`, the lead's country), and the e-mail address in any letter case
    or spelt out (`leads.contact_spans`); the other values (the contact name, values that are not a
    valid number or address) where they are written as stored. Returns True when anything changed.
    """
    texts = {str(values.get(name) or "") for name in CONTACT_DATA_FIELDS}
    texts = sorted((text for text in texts if len(text.strip()) >= 4), key=len, reverse=True)
    phones = {values.get("phone"), values.get("phone_as_posted")}
    phone_keys = {phone_key(value, region=region) for value in phones if value} | {values.get("phone_key")}
    addresses = {value for value in (values.get("email"), values.get("email_as_posted")) if value}
    changed = False
    for name in ("title", "description"):
        text = values.get(name)
        if not text:
            continue
        spans = phone_spans(text, keys=phone_keys - {"", None}, region=region or DEFAULT_REGION)
        text = spans_cut(text, spans + email_spans(text, addresses=addresses), REMOVED)
        for value in texts:
            text = re.sub(re.escape(value.strip()), REMOVED, text, flags=re.IGNORECASE)
        if text != values[name]:
            values[name], changed = text, True
    for name in CONTACT_DATA_FIELDS:
        if values.get(name):
            values[name], changed = "", True
    # Nothing left to reach (leads.contact_normalisation's quality of no contact at all).
    for name, empty in (("contact_quality", "none"), ("contact_extracted", False)):
        if name in values and values[name] != empty:
            values[name], changed = empty, True
    return changed


def suppressed_expression():
    """A boolean expression on leads: true when the lead's e-mail or phone key is on the list (set-based)."""
    return Exists(Suppression.objects.filter(key=OuterRef("email_key"))) | Exists(
        Suppression.objects.filter(key=OuterRef("phone_key"))
    )


def unsuppress(*, entries) -> int:
    """Remove entries from the list (a mistake corrected); returns how many were removed."""
    deleted, _ = entries.delete()
    return deleted
