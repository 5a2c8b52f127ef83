"""Erase this person: their contact data leaves every lead, and they join the do-not-contact list.

`person_erase` finds every lead whose e-mail or phone key matches the person (or any contact value
those leads hold: the person's other number, say), removes the leads' contact fields and any
occurrence of those values in the title and description (a phone however it is spelt there, an
e-mail address in any case or spelt out: `leads.contact_spans`), and puts every key on the list with the
reason "erasure". The leads keep their keys, so they stay flagged, and the bulk write path drops
the person's contact data if a scrape or import brings it again.

Export files are the apps above's concern: `contacts_erased` (leads.signals) tells them which
leads were erased; the exports app expires the unexpired files that held any of them.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from leads.contact_fields import location_regions
from leads.contact_keys import email_key, phone_key
from leads.models import Lead
from leads.signals import contacts_erased
from leads.suppression import (
    CONTACT_DATA_FIELDS,
    REMOVED,  # noqa: F401 (what the title and description show where a contact value was)
    SuppressionError,
    contact_data_drop,
    keys_for,
    suppress_keys,
)
from leads.suppression_models import SuppressionKind, SuppressionReason

logger = logging.getLogger("leads.erasure")

_CONTACT_DATA = CONTACT_DATA_FIELDS
_QUALITY = ("contact_quality", "contact_extracted")


@dataclass
class ErasureResult:
    lead_ids: list[int] = field(default_factory=list)
    suppressed: int = 0
    exports_expired: int = 0  # filled in by the receivers of contacts_erased (the exports app)


def person_erase(*, email: str = "", phone: str = "", user=None) -> ErasureResult:
    """Remove the person's contact data from every lead and suppress them; see the module docstring."""
    pairs = keys_for(email=email, phone=phone)
    if not pairs:
        raise SuppressionError("give the e-mail address or the phone number of the person to erase")
    keys = {key for _, key in pairs}
    result = ErasureResult()
    with transaction.atomic():
        # The person's leads, then the leads sharing any other value those hold (their other number).
        leads = _leads_with(keys)
        for lead in leads:
            pairs += _lead_pairs(lead)
        leads = _leads_with({key for _, key in pairs})
        regions = location_regions() if leads else {}
        for lead in leads:
            pairs += _lead_pairs(lead)
            contact_data_drop(vars(lead), region=regions.get(lead.location_id))  # the instance's field values
        Lead.objects.bulk_update(leads, ["title", "description", *_CONTACT_DATA, *_QUALITY], batch_size=500)
        result.suppressed = len(suppress_keys(pairs, reason=SuppressionReason.ERASURE, added_by=user))
        result.lead_ids = sorted(lead.pk for lead in leads)
    responses = contacts_erased.send(sender=Lead, lead_ids=result.lead_ids, user=user)
    result.exports_expired = sum(value for _, value in responses if isinstance(value, int))
    logger.info(
        "person erased user=%s leads=%s suppressed=%s exports_expired=%s",
        getattr(user, "pk", None),
        len(result.lead_ids),
        result.suppressed,
        result.exports_expired,
    )
    return result


def _leads_with(keys: set[str]) -> list:
    return list(
        Lead.objects.filter(Q(email_key__in=keys) | Q(phone_key__in=keys))
        .select_for_update()
        .order_by("pk")
        .only("pk", "location_id", "title", "description", "email_key", "phone_key", *_CONTACT_DATA, *_QUALITY)
    )


def _lead_pairs(lead) -> list[tuple[str, str]]:
    pairs = []
    for kind, stored, hashed in (
        (SuppressionKind.EMAIL, lead.email_key, email_key(lead.email) if lead.email else ""),
        (SuppressionKind.PHONE, lead.phone_key, phone_key(lead.phone) if lead.phone else ""),
    ):
        pairs += [(kind, key) for key in {stored, hashed} if key]
    return pairs
