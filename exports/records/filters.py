"""The export-record filters: the lead spec's dates, read into ExportQuerySet's methods.

`date_from`/`date_to` select exports by the day they were asked for (site time
zone); the spec's other parameters describe leads, not export records.
"""

from collections.abc import Mapping

import django_filters
from django.db.models import QuerySet

from exports.models import Export
from leads.filter_methods import DayRangeFilterMethods, DayRangeForm
from leads.filter_types import IsoDateFilter
from leads.selectors import LeadFilterError


class ExportFilterSet(DayRangeFilterMethods, django_filters.FilterSet):
    date_from = IsoDateFilter(method="filter_date_from", label="Created on or after")
    date_to = IsoDateFilter(method="filter_date_to", label="Created on or before")

    class Meta:
        model = Export
        fields: list[str] = []
        form = DayRangeForm


EXPORT_FILTER_PARAMETERS: tuple[str, ...] = tuple(ExportFilterSet.base_filters)


def export_list(*, filters: Mapping | None, queryset: QuerySet | None = None) -> QuerySet:
    """The exports a lead spec's dates select; raises LeadFilterError when one of them is invalid."""
    data = {name: value for name, value in (filters or {}).items() if name in EXPORT_FILTER_PARAMETERS}
    filterset = ExportFilterSet(data=data, queryset=queryset if queryset is not None else Export.objects.all())
    if not filterset.is_valid():
        raise LeadFilterError({field: list(errors) for field, errors in filterset.errors.items()})
    return filterset.qs
