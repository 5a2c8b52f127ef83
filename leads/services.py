"""Write-side operations on leads."""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

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
