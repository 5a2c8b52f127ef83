"""Admin list filters that read the lead spec's parameters through a model's own FilterSet.

The scrape-run list reads the spec's dates and places through ScrapeRunFilterSet
and the export history its dates through ExportFilterSet, the FilterSets the
analytics use, so a dashboard figure links to exactly the records behind it
(`?date_from=…&location_ids=…`).
"""

from django.contrib import admin, messages
from django.http import QueryDict

from leads.run_filters import ScrapeRunFilterSet


class SpecListFilter(admin.ListFilter):
    """Claims the parameters of `filterset_class` and filters through it; shown only when one is set."""

    filterset_class = None  # a django-filter FilterSet over the admin's model

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in self.expected_parameters():
            if name in params:
                self.used_parameters[name] = params.pop(name)

    def expected_parameters(self):
        return list(self.filterset_class.base_filters)

    def has_output(self) -> bool:
        return bool(self.used_parameters)

    def queryset(self, request, queryset):
        data = QueryDict(mutable=True)
        for name, values in self.used_parameters.items():  # the admin hands each parameter as a list
            data.setlist(name, values)
        filterset = self.filterset_class(data=data, queryset=queryset)
        if not filterset.is_valid():
            for field, field_messages in filterset.errors.items():
                messages.error(request, f"Filter “{field}”: {' '.join(field_messages)}")
            return queryset.none()  # never the unfiltered list for a filter that could not be applied
        return filterset.qs

    def choices(self, changelist):
        yield {
            "selected": False,
            "query_string": changelist.get_query_string(remove=self.expected_parameters()),
            "display": "All",
        }
        yield {"selected": True, "query_string": changelist.get_query_string(), "display": self.describe()}

    def describe(self) -> str:
        filters = self.filterset_class.base_filters
        return "; ".join(
            f"{filters[name].label}: {', '.join(str(value) for value in values)}"
            for name, values in self.used_parameters.items()
        )


class RunSpecListFilter(SpecListFilter):
    """`date_from`, `date_to`, `location_ids`, `location_names`, `categories` on the scrape-run list."""

    title = "period and places"
    filterset_class = ScrapeRunFilterSet
