"""The do-not-contact list, as outreach sees it: `leads.suppression` (the privacy work's interface).

Outreach checks it before queueing and again before sending, and adds to it on unsubscribe,
and provider complaint. `is_suppressed_batch` answers for many addresses in one query.
"""

from collections.abc import Iterable

from leads.contact_keys import email_key
from leads.suppression import is_suppressed, suppressed_keys
from leads.suppression import suppress as _suppress
from leads.suppression_models import SuppressionReason

# Unsubscribes and complaints are opt-outs. A hard bounce is not a person's wish, so it does not go on
# the list; outreach itself never queues again to an address that bounced (outreach.services.queueing).
UNSUBSCRIBED = SuppressionReason.OPTED_OUT


def suppress(*, email: str, reason: str = UNSUBSCRIBED) -> None:
    if email_key(email):
        _suppress(email=email, reason=reason)


def suppressed_emails(emails: Iterable[str]) -> set[str]:
    """The addresses among `emails` on the do-not-contact list (one query)."""
    by_key = {email_key(email): email for email in emails if email}
    return {by_key[key] for key in suppressed_keys(by_key)}


__all__ = ["is_suppressed", "suppress", "suppressed_emails"]
