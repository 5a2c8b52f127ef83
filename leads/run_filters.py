"""The scrape-run filters: the lead spec's dates and places, read into ScrapeRunQuerySet's methods.

The dashboard, the analytics and the API give one lead spec; its `date_from`
and `date_to` select runs by the day they started, its `location_ids`,
`location_names` and `categories` the runs of those places. The spec's other
parameters describe leads and are not run filters.
"""

from collections.abc import Mapping

import django_filters
from django.db.models import QuerySet

from leads.filter_methods import DayRangeFilterMethods, DayRangeForm, PlaceFilterMethods
from leads.filter_types import IsoDateFilter, SplitModelMultipleChoiceFilter, TextListFilter
from leads.models import Location, ScrapeRun
from leads.selectors import LeadFilterError


class ScrapeRunFilterSet(DayRangeFilterMethods, PlaceFilterMethods, django_filters.FilterSet):
    date_from = IsoDateFilter(method="filter_date_from", label="Started on or after")
    date_to = IsoDateFilter(method="filter_date_to", label="Started on or before")
    location_ids = SplitModelMultipleChoiceFilter(
        queryset=Location.objects.all(), method="filter_location_ids", label="Location ids"
    )
    location_names = TextListFilter(method="filter_location_names", label="Location names or site codes")
    categories = TextListFilter(method="filter_categories", label="Category names or codes")

    class Meta:
        model = ScrapeRun
        fields: list[str] = []
        form = DayRangeForm


RUN_FILTER_PARAMETERS: tuple[str, ...] = tuple(ScrapeRunFilterSet.base_filters)


def scrape_run_list(*, filters: Mapping | None, queryset: QuerySet | None = None) -> QuerySet:
    """The runs a lead spec's run filters select; raises LeadFilterError when one of them is invalid."""
    data = {name: value for name, value in (filters or {}).items() if name in RUN_FILTER_PARAMETERS}
    filterset = ScrapeRunFilterSet(data=data, queryset=queryset if queryset is not None else ScrapeRun.objects.all())
    if not filterset.is_valid():
        raise LeadFilterError({field: list(errors) for field, errors in filterset.errors.items()})
    return filterset.qs
