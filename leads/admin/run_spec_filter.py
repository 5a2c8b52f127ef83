"""The scrape-run changelist reads the lead spec's run filters (dates, places) through ScrapeRunFilterSet.

So a dashboard figure about runs links to exactly the runs behind it
(`?date_from=…&location_ids=…`), filtered by the same FilterSet the analytics use.
"""

from django.contrib import admin, messages
from django.http import QueryDict

from leads.run_filters import RUN_FILTER_PARAMETERS, ScrapeRunFilterSet, scrape_run_list
from leads.selectors import LeadFilterError


class RunSpecListFilter(admin.ListFilter):
    """Claims `date_from`, `date_to`, `location_ids`, `location_names` and `categories`; shown only when set."""

    title = "period and places"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in RUN_FILTER_PARAMETERS:
            if name in params:
                self.used_parameters[name] = params.pop(name)

    def expected_parameters(self):
        return list(RUN_FILTER_PARAMETERS)

    def has_output(self) -> bool:
        return bool(self.used_parameters)

    def queryset(self, request, queryset):
        data = QueryDict(mutable=True)
        for name, values in self.used_parameters.items():  # the admin hands each parameter as a list
            data.setlist(name, values)
        try:
            return scrape_run_list(filters=data, queryset=queryset)
        except LeadFilterError as error:
            for field, field_messages in error.message_dict.items():
                messages.error(request, f"Filter “{field}”: {' '.join(field_messages)}")
            return queryset.none()  # never the unfiltered list for a filter that could not be applied

    def choices(self, changelist):
        yield {
            "selected": False,
            "query_string": changelist.get_query_string(remove=list(RUN_FILTER_PARAMETERS)),
            "display": "All",
        }
        yield {"selected": True, "query_string": changelist.get_query_string(), "display": self.describe()}

    def describe(self) -> str:
        filters = ScrapeRunFilterSet.base_filters
        return "; ".join(
            f"{filters[name].label}: {', '.join(str(value) for value in values)}"
            for name, values in self.used_parameters.items()
        )
