"""The lead filter spec, defined once.

`LeadFilterSet` is the only map from filter parameters to `LeadQuerySet`
methods. The admin changelist, exports (stored specs), the API, the command
line and the dashboard all go through it, so one query string means the same
leads everywhere.

Parameters (each may be omitted):
    date_from, date_to   calendar dates (YYYY-MM-DD), inclusive, compared with
                         the day the lead was found (`scraped_at`) in the site's
                         time zone
    found_after          an ISO date-time: leads found strictly after it
    found_until          an ISO date-time: leads found at or before it (the two
                         make the windows of a "new since the previous run" feed)
    status               one or more of new, contacted, qualified, converted, rejected
    location_ids         one or more location ids
    location_names       one or more location names or site codes (case-insensitive)
    categories           one or more category names or codes (case-insensitive)
    min_price, max_price inclusive price bounds
    has_email, has_phone true or false
    contact_quality      one or more of valid (a valid e-mail or phone), invalid
                         (contacts, none valid), none (no contact)
    keywords             every keyword appears in the title or description
    exclude_keywords     no keyword appears in the title or description
    q                    free-text search (the admin's search box)
    ids                  these lead ids only (an export of selected rows)
    assigned_to          a user id, `none` (nobody) or `me` (the signed-in user: the
                         FilterSet's `user`; stored specs keep the id)
    duplicates           first: one lead per duplicate group (the earliest found) and every lead
                         that is alone; repeated: only leads in groups of several (leads.duplicates)
    limit                at most this many leads, newest found first

List parameters may repeat (`status=new&status=contacted`) or be comma-separated.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import QuerySet

from leads.contact_access import contact_search_allowed
from leads.filter_fields import AssigneeField, IntegerListField, TextListField, names_me
from leads.filter_methods import DayRangeFilterMethods, DayRangeForm, PlaceFilterMethods
from leads.filter_types import (
    AssigneeFilter,
    IntegerFilter,
    IntegerListFilter,
    IsoDateFilter,
    IsoDateTimeFilter,
    SplitModelMultipleChoiceFilter,
    SplitMultipleChoiceFilter,
    StrictBooleanFilter,
    TextFilter,
    TextListFilter,
)
from leads.models import ContactQuality, Lead, LeadStatus, Location

MAX_LIMIT = 10_000_000
# "pending" (not checked yet) is a state of the data, not something to select.
CONTACT_QUALITY_CHOICES = [(value, label) for value, label in ContactQuality.choices if value != ContactQuality.PENDING]
MAX_IDS = 10_000
DUPLICATES_CHOICES = [("first", "First of each duplicate group"), ("repeated", "Only repeated leads")]
# The parameters daily rollups can answer (leads.rollups): the day found, status, location, category, contact.
ROLLUP_PARAMETERS = frozenset(
    {"date_from", "date_to", "status", "location_ids", "location_names", "categories", "has_email", "has_phone"}
)


class LeadFilterForm(DayRangeForm):
    """Cross-field rules: a range's lower bound may not pass its upper bound."""

    def clean(self):
        cleaned = super().clean()
        found_after, found_until = cleaned.get("found_after"), cleaned.get("found_until")
        if found_after and found_until and found_after >= found_until:
            self.add_error("found_until", "The end of the window must be after its start.")
        min_price, max_price = cleaned.get("min_price"), cleaned.get("max_price")
        if min_price is not None and max_price is not None and min_price > max_price:
            self.add_error("max_price", "The maximum price must be at least the minimum price.")
        return cleaned


class LeadFilterSet(DayRangeFilterMethods, PlaceFilterMethods, django_filters.FilterSet):
    date_from = IsoDateFilter(method="filter_date_from", label="Found on or after")
    date_to = IsoDateFilter(method="filter_date_to", label="Found on or before")
    found_after = IsoDateTimeFilter(method="filter_found_after", label="Found after (date-time)")
    found_until = IsoDateTimeFilter(method="filter_found_until", label="Found at or before (date-time)")
    status = SplitMultipleChoiceFilter(choices=LeadStatus.choices, method="filter_status", label="Status")
    location_ids = SplitModelMultipleChoiceFilter(
        queryset=Location.objects.all(), method="filter_location_ids", label="Location ids"
    )
    location_names = TextListFilter(method="filter_location_names", label="Location names or site codes")
    categories = TextListFilter(method="filter_categories", label="Category names or codes")
    min_price = django_filters.NumberFilter(
        method="filter_min_price", min_value=0, max_digits=12, decimal_places=2, label="Minimum price"
    )
    max_price = django_filters.NumberFilter(
        method="filter_max_price", min_value=0, max_digits=12, decimal_places=2, label="Maximum price"
    )
    has_email = StrictBooleanFilter(method="filter_has_email", label="Has e-mail")
    has_phone = StrictBooleanFilter(method="filter_has_phone", label="Has phone")
    contact_quality = SplitMultipleChoiceFilter(
        choices=CONTACT_QUALITY_CHOICES, method="filter_contact_quality", label="Contact quality"
    )
    keywords = TextListFilter(method="filter_keywords", label="Contains all keywords")
    exclude_keywords = TextListFilter(method="filter_exclude_keywords", label="Contains none of")
    q = TextFilter(method="filter_search", max_length=200, label="Search")
    ids = IntegerListFilter(method="filter_ids", max_items=MAX_IDS, label="Lead ids")
    assigned_to = AssigneeFilter(method="filter_assigned_to", label="Assigned to (user id, me or none)")
    duplicates = django_filters.ChoiceFilter(
        choices=DUPLICATES_CHOICES, method="filter_duplicates", label="Duplicates", empty_label=None
    )
    # Declared last: django-filter applies filters in declaration order, and the
    # limit must pick the newest leads among those that match everything else.
    limit = IntegerFilter(method="filter_limit", min_value=1, max_value=MAX_LIMIT, label="Limit")

    class Meta:
        model = Lead
        fields: list[str] = []
        form = LeadFilterForm

    def __init__(
        self, data=None, *args, max_limit: int | None = None, contact_search: bool | None = None, user=None, **kwargs
    ):
        """`max_limit` caps `limit` for this use (e.g. a quick export): it is the default, and more is refused.

        `user` is who "me" is (`assigned_to=me`); without one, "me" is refused.
        """
        if user is not None and user.pk is not None and names_me(data):
            data = data.copy() if hasattr(data, "getlist") else dict(data or {})
            data["assigned_to"] = str(user.pk)
        if max_limit is not None:
            data = data.copy() if hasattr(data, "getlist") else dict(data or {})  # a QueryDict stays one
            if data.get("limit") in (None, "", []):
                data["limit"] = str(max_limit)
        # False for a user who may not see contact details: `q` then leaves the contact fields alone.
        # None: as the current request, export or command allows (leads.contact_access.contact_search_allowed).
        self.contact_search = contact_search_allowed() if contact_search is None else contact_search
        super().__init__(data, *args, **kwargs)
        if max_limit is not None:
            limit = self.filters["limit"]
            limit.extra["max_value"] = max_limit
            limit.extra["error_messages"] = {
                "max_value": f"At most {max_limit:,} leads at once here; lower the limit, or export in the background."
            }

    def filter_found_after(self, queryset, name, value):
        return queryset.scraped_after(value)

    def filter_found_until(self, queryset, name, value):
        return queryset.scraped_at_or_before(value)

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)

    def filter_min_price(self, queryset, name, value):
        return queryset.price_at_least(value)

    def filter_max_price(self, queryset, name, value):
        return queryset.price_at_most(value)

    def filter_has_email(self, queryset, name, value):
        return queryset.with_email(value)

    def filter_has_phone(self, queryset, name, value):
        return queryset.with_phone(value)

    def filter_contact_quality(self, queryset, name, value):
        return queryset.with_contact_quality(value)

    def filter_keywords(self, queryset, name, value):
        return queryset.containing_all(value)

    def filter_exclude_keywords(self, queryset, name, value):
        return queryset.containing_none(value)

    def filter_search(self, queryset, name, value):
        return queryset.search(value, contacts=self.contact_search)

    def filter_ids(self, queryset, name, value):
        return queryset.with_ids(value)

    def filter_assigned_to(self, queryset, name, value):
        return queryset.assigned_to(None if value == AssigneeField.NOBODY else value)

    def filter_duplicates(self, queryset, name, value):
        return queryset.first_of_duplicates() if value == "first" else queryset.repeated()

    def filter_limit(self, queryset, name, value):
        return queryset.first_n(value)

    def answerable_by_rollups(self) -> bool:
        """True when every parameter in use is a rollup dimension, so daily rollups give the same figures."""
        return self.is_valid() and all(
            name in ROLLUP_PARAMETERS for name, value in self.form.cleaned_data.items() if value not in _BLANK
        )

    def rollup_queryset(self, rollups: QuerySet) -> QuerySet:
        """`rollups` (a RollupQuerySet) filtered by this spec; only for specs `answerable_by_rollups()`."""
        if not self.answerable_by_rollups():
            raise ValueError("This spec uses parameters the rollups do not have.")
        return self.filter_queryset(rollups)

    def normalized_spec(self) -> dict:
        """The valid parameters as canonical JSON-safe values, blanks left out.

        Stored on export records and replayed through this FilterSet.
        """
        if not self.is_valid():
            raise ValueError("normalized_spec() needs a valid filter set.")
        return {name: _json_value(value) for name, value in self.form.cleaned_data.items() if value not in _BLANK}


_BLANK = (None, "", [], ())


def _json_value(value):
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if hasattr(value, "model"):  # a queryset of chosen locations
        return sorted(obj.pk for obj in value)
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    return str(value)


FILTER_PARAMETERS: tuple[str, ...] = tuple(LeadFilterSet.base_filters)


def filter_label(name: str) -> str:
    """How a person knows a filter parameter ("Maximum price" for max_price); unknown names as given."""
    spec_filter = LeadFilterSet.base_filters.get(name)
    return (spec_filter.label if spec_filter is not None else None) or name


def spec_to_query_string(spec: Mapping) -> str:
    """Render a normalized spec as a query string that LeadFilterSet reads back identically."""
    pairs = []
    for name in FILTER_PARAMETERS:
        if name not in spec:
            continue
        value = spec[name]
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            pairs.append((name, "true" if item is True else "false" if item is False else str(item)))
    return urlencode(pairs)


def _is_list_parameter(name: str) -> bool:
    field_class = LeadFilterSet.base_filters[name].field_class
    return issubclass(
        field_class, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField, TextListField, IntegerListField)
    )


LIST_PARAMETERS: frozenset[str] = frozenset(name for name in FILTER_PARAMETERS if _is_list_parameter(name))


def filters_from_query(query, *, user=None) -> dict:
    """The filter spec in a query string (a QueryDict, or any mapping of names to lists of values).

    The one reader of filter parameters from a request: the admin's export page and actions, the
    dashboard's "Export this view", the API's quick exports and analytics all call it. Other
    parameters (ordering, paging, format, columns) are left out, and so are blank values. List
    parameters keep every value (repeated or comma-separated, as the FilterSet reads them); any
    other parameter is one value, the last one given (as a QueryDict reads it). The values are
    not parsed here: LeadFilterSet validates them. With a `user`, `assigned_to=me` becomes their id.
    """
    spec: dict = {}
    for name in FILTER_PARAMETERS:
        values = query.getlist(name) if hasattr(query, "getlist") else query.get(name, [])
        if isinstance(values, str):
            values = [values]
        values = [value for value in values if value not in ("", None)]
        if values:
            spec[name] = list(values) if name in LIST_PARAMETERS else values[-1]
    if user is not None and user.pk is not None and names_me(spec):
        spec["assigned_to"] = str(user.pk)
    return spec
