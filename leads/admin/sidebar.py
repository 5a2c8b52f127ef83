"""The lead changelist's sidebar in order, and the filters that came after `list_filters` filled up.

Every spec parameter a person browses by has a section here; the ones without a control of their
own (`ids`, `limit`, the date-time windows of a feed) are listed by `OtherSpecListFilter`, and `q`
is the search box. tests/leads/test_admin.py enumerates LeadFilterSet to keep it so.
"""

from collections.abc import Iterator

from leads.admin.list_filters import (
    AssignedToListFilter,
    CategoryListFilter,
    ContactQualityListFilter,
    DateRangeListFilter,
    HasEmailListFilter,
    HasPhoneListFilter,
    KeywordsListFilter,
    LocationListFilter,
    OtherSpecListFilter,
    PriceRangeListFilter,
    SpecListFilter,
    StatusListFilter,
)
from leads.filters import DUPLICATES_CHOICES


class ChoiceListFilter(SpecListFilter):
    """All, or exactly one of the spec parameter's choices (a single-valued choice parameter)."""

    parameter_name: str = ""
    choices_of: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ()

    def choices(self, changelist) -> Iterator[dict]:
        current = self.value(self.parameter_name)
        yield {"selected": current is None, "query_string": self.query_string(changelist), "display": "All"}
        for value, label in self.choices_of:
            yield {
                "selected": current == value,
                "query_string": self.query_string(changelist, **{self.parameter_name: value}),
                "display": label,
            }


class DuplicatesListFilter(ChoiceListFilter):
    """`duplicates=first` (one lead per duplicate group) or `repeated` (only leads in groups of several)."""

    title = "duplicates"
    parameters = ("duplicates",)
    parameter_name = "duplicates"
    choices_of = DUPLICATES_CHOICES


# Short sections first, so the long lists of sites and categories do not push them out of sight.
LEAD_LIST_FILTERS = (
    StatusListFilter,
    AssignedToListFilter,
    DateRangeListFilter,
    PriceRangeListFilter,
    HasEmailListFilter,
    HasPhoneListFilter,
    ContactQualityListFilter,
    DuplicatesListFilter,
    KeywordsListFilter,
    LocationListFilter,
    CategoryListFilter,
    OtherSpecListFilter,  # last: it takes every spec parameter the others left
)
