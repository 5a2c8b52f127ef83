"""Read-side entry points for leads: every caller that lists leads by a spec goes through here."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from leads.filters import LeadFilterSet
from leads.models import Lead


class LeadFilterError(ValidationError):
    """The filter spec has invalid values; `message_dict` maps each field to its messages."""


def lead_filterset(
    *,
    filters: Mapping | None,
    queryset: QuerySet | None = None,
    max_limit: int | None = None,
    contact_search: bool | None = None,
    user=None,
) -> LeadFilterSet:
    """A bound LeadFilterSet, validated; raises LeadFilterError when a value is invalid.

    `max_limit` caps the spec's `limit` (its default, and more is refused), e.g. for quick exports.
    `contact_search=False` keeps the search (`q`) off the contact fields (see leads.contact_access).
    `user` is who `assigned_to=me` means.
    """
    filterset = LeadFilterSet(
        data=filters or {},
        queryset=queryset if queryset is not None else Lead.objects.all(),
        max_limit=max_limit,
        contact_search=contact_search,
        user=user,
    )
    if not filterset.is_valid():
        raise LeadFilterError({field: list(errors) for field, errors in filterset.errors.items()})
    return filterset


def lead_list(
    *, filters: Mapping | None = None, queryset: QuerySet | None = None, contact_search: bool | None = None
) -> QuerySet:
    """The leads that `filters` select, in the default order, with location and category joined."""
    return lead_filterset(filters=filters, queryset=queryset, contact_search=contact_search).qs.with_related()


def lead_filters_normalize(*, filters: Mapping | None, max_limit: int | None = None, user=None) -> dict:
    """Validate `filters` and return the canonical spec to store or replay (`max_limit`, `user`: see lead_filterset).

    `assigned_to=me` is stored as the user's id, so the spec means the same when replayed later.
    """
    return lead_filterset(filters=filters, max_limit=max_limit, user=user).normalized_spec()
