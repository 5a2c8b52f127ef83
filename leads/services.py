"""Write-side operations on leads."""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from leads.contact_fields import CONTACT_STATE_FIELDS, lead_contact_values, posted_contacts
from leads.models import Lead, LeadStatus

logger = logging.getLogger("leads.services")


def lead_status_bulk_update(*, leads: QuerySet[Lead], status: str, user: AbstractBaseUser | None) -> int:
    """Move every lead of `leads` to `status` in one UPDATE; return how many leads changed.

    Leads already in `status` are left untouched, so their `updated_at` keeps
    meaning "last changed". `update()` skips `auto_now`, hence the explicit time.
    """
    if status not in LeadStatus.values:
        raise ValueError(f"Unknown lead status {status!r}; expected one of {', '.join(LeadStatus.values)}.")
    changed = leads.exclude(status=status).update(status=status, updated_at=timezone.now())
    logger.info(
        "lead status bulk update status=%s changed=%d user=%s",
        status,
        changed,
        getattr(user, "pk", None),
    )
    return changed


def lead_contacts_refresh(*, lead: Lead, email: str | None = None, phone: str | None = None) -> None:
    """Set `lead`'s contact fields (unsaved) as an import would: from `email` and `phone` as posted.

    None keeps the stored lead's posted contact (a person changed only the other one, or the text).
    """
    stored = Lead.objects.filter(pk=lead.pk).values(*CONTACT_STATE_FIELDS).first() if lead.pk else None
    stored_email, stored_phone = posted_contacts(stored or {})
    values = lead_contact_values(
        email=stored_email if email is None else email,
        phone=stored_phone if phone is None else phone,
        title=lead.title,
        description=lead.description,
        region=lead.location.country,
    )
    for name, value in values.items():
        setattr(lead, name, value)
