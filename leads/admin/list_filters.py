"""The lead changelist's sidebar: one list filter per group of spec parameters.

These filters never filter. `LeadChangeList` applies every spec parameter of the
request at once through `lead_list()`, so the list is exactly what the FilterSet
selects. A filter here only claims its parameters from the query string (so the
admin does not read them as model field lookups) and draws the links or the
small form that write them. The parameter names are the spec's, so the URL of a
filtered list is a filter spec that exports, the API and the dashboard replay.

Toggle links write several values comma-separated in one parameter
(`status=new,contacted`), which the spec reads like repeated parameters and
which survives the admin's search box. Every link and form keeps the other
parameters (search, ordering, other filters) and drops the page number.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.text import Truncator

from leads.filters import CONTACT_QUALITY_CHOICES, FILTER_PARAMETERS, LeadFilterSet
from leads.models import Category, LeadStatus, Location


def spec_value(name: str, raw_values: list[str]):
    """What the spec reads from the raw values of one parameter, or None when it rejects them.

    The FilterSet's own field and widget do the reading, so the sidebar shows a
    selection exactly as the list applies it.
    """
    field = LeadFilterSet.base_filters[name].field
    data = QueryDict(mutable=True)
    data.setlist(name, raw_values)
    try:
        return field.clean(field.widget.value_from_datadict(data, {}, name))
    except ValidationError:
        return None


class SpecListFilter(admin.ListFilter):
    """Claims `parameters` from the query string and leaves the queryset alone."""

    parameters: tuple[str, ...] = ()

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in self.parameters:
            if name in params:
                # Popped like SimpleListFilter does: what is left would become field lookups.
                self.used_parameters[name] = list(params.pop(name))

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return list(self.parameters)

    def queryset(self, request, queryset):
        # LeadChangeList filters by the whole spec at once; see the module docstring.
        return queryset

    def value(self, name: str):
        """The spec's reading of parameter `name`, None when absent, blank or invalid."""
        raw = [value for value in self.used_parameters.get(name, []) if value != ""]
        return spec_value(name, raw) if raw else None

    def query_string(self, changelist, **new_values: str | None) -> str:
        """The changelist's query string with this filter's parameters replaced by `new_values`."""
        replaced = dict.fromkeys(self.parameters)
        replaced.update(new_values)
        return changelist.get_query_string(replaced)


class ToggleListFilter(SpecListFilter):
    """Links that add or remove one value each; several values may be selected at once (the spec ORs them)."""

    template = "admin/leads/filters/toggle.html"
    parameter_name: str = ""

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.lookup_choices = list(self.lookups())

    def lookups(self) -> Iterable[tuple[str, str]]:
        """(value written to the query string, label) pairs."""
        raise NotImplementedError

    def selected_values(self) -> set[str]:
        raise NotImplementedError

    def has_output(self) -> bool:
        return bool(self.lookup_choices)

    def choices(self, changelist) -> Iterator[dict]:
        selected = self.selected_values()
        yield {"selected": not selected, "query_string": self.query_string(changelist), "display": "All"}
        for value, label in self.lookup_choices:
            toggled = selected ^ {value}
            # Written in the lookups' order, so one selection always has one URL.
            values = [choice for choice, _ in self.lookup_choices if choice in toggled]
            yield {
                "selected": value in selected,
                "query_string": self.query_string(changelist, **{self.parameter_name: ",".join(values) or None}),
                "display": label,
                "toggle": True,
            }


class StatusListFilter(ToggleListFilter):
    title = "status"
    parameters = ("status",)
    parameter_name = "status"

    def lookups(self):
        return LeadStatus.choices

    def selected_values(self) -> set[str]:
        return set(self.value("status") or [])


class ContactQualityListFilter(ToggleListFilter):
    """Valid / invalid / no contact: says nothing of the values, so everyone sees it."""

    title = "contact quality"
    parameters = ("contact_quality",)
    parameter_name = "contact_quality"

    def lookups(self):
        return CONTACT_QUALITY_CHOICES

    def selected_values(self) -> set[str]:
        return set(self.value("contact_quality") or [])


class LocationListFilter(ToggleListFilter):
    """Craigslist sites by id; a `location_names` spec (names or site codes) is shown and replaced by ids."""

    title = "location"
    parameters = ("location_ids", "location_names")
    parameter_name = "location_ids"

    def lookups(self):
        self.sites = list(Location.objects.values_list("pk", "name", "site_code"))
        return [(str(pk), name) for pk, name, _ in self.sites]

    def selected_values(self) -> set[str]:
        selected: set[str] | None = None
        if "location_ids" in self.used_parameters:
            chosen = self.value("location_ids")
            selected = {str(location.pk) for location in chosen or []}
        if "location_names" in self.used_parameters:
            names = {name.lower() for name in self.value("location_names") or []}
            by_name = {str(pk) for pk, name, code in self.sites if name.lower() in names or code.lower() in names}
            # Both parameters given: the spec applies both, so the list holds their intersection.
            selected = by_name if selected is None else selected & by_name
        return selected or set()


class CategoryListFilter(ToggleListFilter):
    """Craigslist categories, written as their codes (`categories=sss,jjj`)."""

    title = "category"
    parameters = ("categories",)
    parameter_name = "categories"

    def lookups(self):
        self.categories = list(Category.objects.values_list("code", "name"))
        return self.categories

    def selected_values(self) -> set[str]:
        names = {name.lower() for name in self.value("categories") or []}
        return {code for code, name in self.categories if code.lower() in names or name.lower() in names}


class PresenceListFilter(SpecListFilter):
    """All / with / without: one of the spec's true-or-false parameters."""

    parameter_name: str = ""
    with_label = without_label = ""

    def choices(self, changelist) -> Iterator[dict]:
        current = self.value(self.parameter_name)
        for value, label in ((None, "All"), (True, self.with_label), (False, self.without_label)):
            written = None if value is None else str(value).lower()
            yield {
                "selected": current is value,
                "query_string": self.query_string(changelist, **{self.parameter_name: written}),
                "display": label,
            }


class HasEmailListFilter(PresenceListFilter):
    title = "e-mail"
    parameters = ("has_email",)
    parameter_name = "has_email"
    with_label, without_label = "With e-mail", "Without e-mail"


class HasPhoneListFilter(PresenceListFilter):
    title = "phone"
    parameters = ("has_phone",)
    parameter_name = "has_phone"
    with_label, without_label = "With phone", "Without phone"


class AssignedToListFilter(SpecListFilter):
    """Anyone / assigned to me / assigned to nobody (`assigned_to=me|none`; a user id shows as itself)."""

    title = "assigned to"
    parameters = ("assigned_to",)

    def choices(self, changelist) -> Iterator[dict]:
        raw = [value for value in self.used_parameters.get("assigned_to", []) if value != ""]
        current = raw[-1].strip().lower() if raw else None
        options = [(None, "Anyone"), ("me", "Me"), ("none", "Nobody")]
        if current not in (None, "me", "none"):
            options.append((current, f"User {current}"))
        for value, label in options:
            yield {
                "selected": current == value,
                "query_string": self.query_string(changelist, assigned_to=value),
                "display": label,
            }


@dataclass(frozen=True)
class FilterInput:
    """One input of a sidebar form; `many` inputs hold a comma-separated list."""

    name: str
    label: str
    type: str = "text"
    placeholder: str = ""
    min: str | None = None
    step: str | None = None
    inputmode: str | None = None
    many: bool = False


class InputListFilter(SpecListFilter):
    """A small GET form in the sidebar; the other parameters ride along as hidden inputs."""

    template = "admin/leads/filters/inputs.html"
    inputs: tuple[FilterInput, ...] = ()
    layout = "stacked"  # "pair": two short inputs side by side; "rows": a short label before each input

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.parameters = tuple(field.name for field in cls.inputs)

    def choices(self, changelist) -> Iterator[dict]:
        yield {
            "inputs": [
                {"field": field, "id": f"lead-filter-{field.name}", "value": self.raw_text(field)}
                for field in self.inputs
            ],
            "hidden": [
                (name, value)
                for name, values in changelist.filter_params.items()
                if name not in self.parameters
                for value in values
            ],
            "active": any(self.raw_text(field) for field in self.inputs),
            "clear_query_string": self.query_string(changelist),
            "layout": self.layout,
        }

    def raw_text(self, field: FilterInput) -> str:
        """What the person typed, shown back as typed (even when invalid, so it can be corrected)."""
        values = [value for value in self.used_parameters.get(field.name, []) if value != ""]
        if not values:
            return ""
        # A single-valued parameter given twice counts with its last value, as in the FilterSet.
        return ", ".join(values) if field.many else values[-1]


class DateRangeListFilter(InputListFilter):
    title = "date found"
    layout = "rows"
    inputs = (
        FilterInput("date_from", "From", type="date"),
        FilterInput("date_to", "To", type="date"),
    )


_MONEY_INPUT = {"type": "number", "placeholder": "Any", "min": "0", "step": "0.01", "inputmode": "decimal"}


class PriceRangeListFilter(InputListFilter):
    title = "price"
    layout = "pair"
    inputs = (
        FilterInput("min_price", "Min ($)", **_MONEY_INPUT),
        FilterInput("max_price", "Max ($)", **_MONEY_INPUT),
    )


class KeywordsListFilter(InputListFilter):
    title = "keywords"
    inputs = (
        FilterInput("keywords", "Contains all of", placeholder="e.g. vintage, oak", many=True),
        FilterInput("exclude_keywords", "Contains none of", placeholder="e.g. broken, parts", many=True),
    )


class OtherSpecListFilter(SpecListFilter):
    """The spec parameters the sidebar has no control for (ids, limit, date-time windows, ...).

    It claims whatever spec parameter is still unclaimed, so it must come last in
    `list_filter`, and lists each one with a link that removes it.
    """

    title = "other filters"
    template = "admin/leads/filters/others.html"

    def __init__(self, request, params, model, model_admin):
        # The search box's `q` is the admin's own parameter (never among `params`).
        self.parameters = tuple(name for name in FILTER_PARAMETERS if name in params and name != SEARCH_VAR)
        super().__init__(request, params, model, model_admin)

    def has_output(self) -> bool:
        return bool(self.used_parameters)

    def choices(self, changelist) -> Iterator[dict]:
        for name, values in self.used_parameters.items():
            shown = Truncator(", ".join(value for value in values if value != "")).chars(60)
            yield {
                "name": name,
                "display": f"{LeadFilterSet.base_filters[name].label}: {shown}",
                "query_string": changelist.get_query_string({name: None}),
            }
