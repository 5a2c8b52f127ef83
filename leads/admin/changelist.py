"""A changelist whose filtering is done by the one LeadFilterSet.

The sidebar list filters only claim their query parameters and draw choices;
the filtering itself happens here, once, with every spec parameter of the
request (the search box's `q` included), so the list shows exactly
`lead_list(filters=request.GET)`.
"""

from django.contrib import messages
from django.contrib.admin.views.main import ChangeList

from leads.admin.strict_changelist import SpecOnlyChangeListMixin
from leads.analytics.sources import rollup_lead_count
from leads.contact_access import contact_info_visible
from leads.filters import filter_label
from leads.selectors import LeadFilterError, lead_filterset


class LeadChangeList(SpecOnlyChangeListMixin, ChangeList):
    spec_errors: dict | None = None

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        if queryset.query.is_empty():
            return queryset  # refused (see SpecOnlyChangeListMixin): already empty
        try:
            filterset = lead_filterset(
                filters=request.GET,
                queryset=queryset,
                contact_search=contact_info_visible(user=request.user),
                user=request.user,
            )
            filtered = filterset.qs.with_related()
        except LeadFilterError as error:
            if self.spec_errors is None:  # actions read the queryset a second time; say it once
                for field, field_messages in error.message_dict.items():
                    messages.error(request, f"{filter_label(field)}: {' '.join(field_messages)}")
            self.spec_errors = error.message_dict
            # Never show an unfiltered list for a filter that could not be applied.
            return queryset.none()
        # `limit` rebuilds the queryset around a subquery, which drops the column sort.
        filtered = filtered.order_by(*self.get_ordering(request, filtered))
        if not queryset.query.has_filters():  # nothing but the spec filters: the rollups know the count
            filtered.exact_count = rollup_lead_count(filterset)  # read by LeadPaginator
        return filtered
