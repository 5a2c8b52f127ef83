"""FilterSet pieces shared by every model filtered with the lead spec's dates and places.

`LeadFilterSet`, `ScrapeRunFilterSet` and `ExportFilterSet` read the same
parameters (`date_from`, `date_to`, `location_ids`, `location_names`,
`categories`) into the same queryset methods (`leads.predicates`); these
mixins hold that mapping once.
"""

from django import forms


class DayRangeForm(forms.Form):
    """A range's start may not pass its end."""

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned


class DayRangeFilterMethods:
    def filter_date_from(self, queryset, name, value):
        return queryset.from_day(value)

    def filter_date_to(self, queryset, name, value):
        return queryset.until_day(value)


class PlaceFilterMethods:
    def filter_location_ids(self, queryset, name, value):
        return queryset.in_locations(location.pk for location in value)

    def filter_location_names(self, queryset, name, value):
        return queryset.in_location_names(value)

    def filter_categories(self, queryset, name, value):
        return queryset.in_categories(value)
