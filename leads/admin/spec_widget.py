"""The lead list's sidebar controls as one form field, for pages that keep a spec (saved exports).

`LeadSpecField` shows a stored (normalized) spec with the sidebar's own sections, titles, choices
and inputs (built from LEAD_LIST_FILTERS, so a section added there appears here too), plus the
search box's words. What the person ticks and types comes back as raw query values, the shape
`filters_from_query` reads; nothing is parsed here: the caller hands them to the one LeadFilterSet
(exports.services.saved validates a saved export's filters). Values the controls cannot show (lead
ids, a limit, location names, a value no choice matches) are listed as "Other filters", each with a
tick that keeps it, like the sidebar's "other filters" section.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from leads.admin.list_filters import (
    AssignedToListFilter,
    FilterInput,
    InputListFilter,
    PresenceListFilter,
    ToggleListFilter,
)
from leads.admin.sidebar import LEAD_LIST_FILTERS, ChoiceListFilter
from leads.filter_summary import lead_filters_items
from leads.filters import FILTER_PARAMETERS, LIST_PARAMETERS, filters_from_query, spec_to_query_string

SEARCH_INPUT = FilterInput("q", "Words", placeholder="e.g. bike")
KEEP = "keep"  # the ticks of "Other filters"
OTHER = "other"  # the values those ticks keep


@dataclass
class Section:
    """One sidebar section: ticks (`many`), one choice (`one`) or inputs."""

    title: str
    kind: str  # "many", "one" or "inputs"
    parameter: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    inputs: tuple[FilterInput, ...] = ()
    help: str = ""


def _lookups(filter_class) -> list[tuple[str, str]]:
    # A toggle filter's lookups read only the database, never the request: no changelist is needed.
    return [(str(value), str(label)) for value, label in filter_class.lookups(object.__new__(filter_class))]


def sidebar_sections() -> list[Section]:
    """The sidebar's sections in its order, after the search box (the admin's `q`)."""
    sections = [Section("search", "inputs", inputs=(SEARCH_INPUT,), help="In the title or description.")]
    for filter_class in LEAD_LIST_FILTERS:
        title = str(filter_class.title)
        if issubclass(filter_class, ToggleListFilter):
            sections.append(Section(title, "many", filter_class.parameter_name, _lookups(filter_class)))
        elif issubclass(filter_class, PresenceListFilter):
            choices = [("", "All"), ("true", filter_class.with_label), ("false", filter_class.without_label)]
            sections.append(Section(title, "one", filter_class.parameter_name, choices))
        elif issubclass(filter_class, InputListFilter):
            sections.append(Section(title, "inputs", inputs=filter_class.inputs))
        elif issubclass(filter_class, ChoiceListFilter):
            choices = [("", "All"), *((str(value), str(label)) for value, label in filter_class.choices_of)]
            sections.append(Section(title, "one", filter_class.parameter_name, choices))
        elif filter_class is AssignedToListFilter:
            choices = [("", "Anyone"), ("me", "Me"), ("none", "Nobody")]
            sections.append(Section(title, "one", "assigned_to", choices))
        # Any other section (the "other filters") has no control: its values are kept as they are.
    return sections


def _raw(value) -> dict[str, list[str]]:
    """A spec (normalized, or raw query values) as lists of query-string values per parameter."""
    if not value:
        return {}
    if isinstance(value, str):
        return dict(QueryDict(value).lists())
    return dict(QueryDict(spec_to_query_string(value)).lists())


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _section_context(name: str, section: Section, raw: dict, shown: dict[str, set[str]]) -> dict:
    """What the template needs to draw one section, noting in `shown` the values it shows."""
    context = {
        "title": section.title,
        "kind": section.kind,
        "help": section.help,
        "name": f"{name}-{section.parameter}",
    }
    if section.kind == "inputs":
        context["inputs"] = []
        for item in section.inputs:
            values = raw.get(item.name, [])
            text = ", ".join(_split(values)) if item.many else (values[-1] if values else "")
            shown[item.name] = {value.lower() for value in (_split(values) if item.many else values)}
            context["inputs"].append({"field": item, "name": f"{name}-{item.name}", "value": text})
        return context
    values = raw.get(section.parameter, [])
    given = _split(values) if section.kind == "many" else values[-1:]
    choices = list(section.choices)
    if section.kind == "one" and given and not any(value == given[0].lower() for value, _ in choices):
        choices.append((given[0], f"User {given[0]}"))  # an assignee other than "me" keeps its choice
    chosen = set()
    for item in given:
        for value, label in choices:
            # Categories are named by code or name, as the sidebar reads them.
            if item.lower() in (value.lower(), label.lower() if section.parameter == "categories" else None):
                chosen.add(value)
                shown.setdefault(section.parameter, set()).add(item.lower())
    context["choices"] = [
        {"value": value, "label": label, "selected": value in chosen or (value == "" and not chosen)}
        for value, label in choices
    ]
    context["scroll"] = len(choices) > 9
    return context


class LeadSpecWidget(forms.Widget):
    """Renders the sections; reads `<name>-<parameter>` inputs back as raw query values."""

    template_name = "admin/leads/filters/spec_widget.html"

    class Media:
        css = {"all": ["leads/spec_widget.css"]}

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.me: int | None = None  # whose "me" this spec means (a saved export's owner)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        raw = _raw(value)
        if self.me is not None and raw.get("assigned_to") == [str(self.me)]:
            raw["assigned_to"] = ["me"]
        shown: dict[str, set[str]] = {}  # per parameter, the values (lower case) a control shows
        sections = [_section_context(name, section, raw, shown) for section in sidebar_sections()]
        others = []
        for parameter in FILTER_PARAMETERS:
            given = raw.get(parameter, [])
            given = _split(given) if parameter in LIST_PARAMETERS else given[-1:]
            left = [item for item in given if item.lower() not in shown.get(parameter, set())]
            if left:
                spec = {parameter: left if parameter in LIST_PARAMETERS else left[0]}
                others.append(
                    {"parameter": parameter, "values": left, "display": "; ".join(lead_filters_items(filters=spec))}
                )
        context["widget"].update(sections=sections, others=others, keep=f"{name}-{KEEP}", other=f"{name}-{OTHER}")
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine (the form renderer only searches the apps' template folders).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def value_from_datadict(self, data, files, name):
        """The raw query values: the controls' inputs, and the other filters whose tick is kept."""
        query = QueryDict(mutable=True)
        for parameter in FILTER_PARAMETERS:
            values = [value for value in data.getlist(f"{name}-{parameter}") if value.strip()]
            query.setlist(parameter, values)
        kept = set(data.getlist(f"{name}-{KEEP}"))
        for value in data.getlist(f"{name}-{OTHER}"):
            parameter, _, text = value.partition("=")
            if parameter in kept and parameter in FILTER_PARAMETERS:
                query.appendlist(parameter, text)
        return filters_from_query(query)

    def value_omitted_from_data(self, data, files, name):
        return False  # every control unticked is a choice too: all leads


class LeadSpecField(forms.Field):
    """A lead filter spec chosen with the sidebar's controls; cleans to raw query values (not validated here)."""

    widget = LeadSpecWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value

    def to_python(self, value) -> dict:
        return dict(value) if isinstance(value, Mapping) else {}
