"""The lead filter spec as command-line options, generated from LeadFilterSet so the two never drift.

Every filter parameter becomes an option with dashes (`date_from` -> `--date-from`); list
parameters may repeat or be comma-separated (`--status new,contacted --status qualified`). The
values are handed to the FilterSet unparsed, so the command line accepts exactly what the admin
and the API accept.
"""

from argparse import ArgumentParser
from collections.abc import Mapping

from django import forms

from leads.filter_fields import TextListField
from leads.filters import FILTER_PARAMETERS, LeadFilterSet

DEST_PREFIX = "filter_"
LIST_FIELDS = (TextListField, forms.MultipleChoiceField, forms.ModelMultipleChoiceField)


def add_filter_arguments(parser: ArgumentParser) -> None:
    """Add one option per filter parameter to `parser`, in a "lead filters" group."""
    group = parser.add_argument_group("lead filters", "Select leads as the admin's filters do.")
    for name in FILTER_PARAMETERS:
        lead_filter = LeadFilterSet.base_filters[name]
        flag = "--" + name.replace("_", "-")
        label = str(lead_filter.label or name)
        if issubclass(lead_filter.field_class, LIST_FIELDS):
            group.add_argument(
                flag,
                dest=DEST_PREFIX + name,
                action="append",
                metavar="VALUE",
                help=f"{label} (repeat or comma-separate)",
            )
        else:
            group.add_argument(flag, dest=DEST_PREFIX + name, metavar="VALUE", help=label)


def filters_from_options(options: Mapping) -> dict:
    """The filter spec given on the command line (unvalidated; LeadFilterSet validates it)."""
    spec = {}
    for name in FILTER_PARAMETERS:
        value = options.get(DEST_PREFIX + name)
        if value not in (None, "", []):
            spec[name] = value
    return spec
