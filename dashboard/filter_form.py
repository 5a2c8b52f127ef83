"""The dashboard's filter bar: LeadFilterSet's own form, dressed for the page.

Nothing here reads filter values: the FilterSet parses them. A valid spec is
redisplayed from its canonical query string (so `has_email=yes` shows as
"Yes"), an invalid one as typed, with the FilterSet's field errors. Only
widgets change, after validation, for display.
"""

from collections.abc import Mapping

from django import forms
from django.http import QueryDict

from leads.filter_fields import ListTextInput
from leads.filters import LeadFilterSet, spec_to_query_string
from leads.models import Category

BOOLEAN_CHOICES = [("", "Any"), ("true", "Yes"), ("false", "No")]
# Shown in the bar; the rest sit under "More filters" (opened when one of them is set).
MAIN_FIELDS = ("date_from", "date_to", "status", "location_ids", "categories", "has_email", "has_phone")
MORE_FIELDS = ("min_price", "max_price", "keywords", "exclude_keywords", "location_names", "q", "limit")
LABELS = {
    "location_ids": "Locations",
    "categories": "Categories",
    "location_names": "Location names or site codes",
    "q": "Search",
}


class HiddenListInput(ListTextInput):
    input_type = "hidden"


def dashboard_filter_form(*, data: Mapping, spec: dict | None) -> forms.Form:
    """The bound filter form to show: from `spec` when the filters were valid, else from `data`."""
    source = QueryDict(spec_to_query_string(spec)) if spec is not None else data
    form = LeadFilterSet(data=source).form
    form.is_valid()  # binds the errors an invalid spec has
    _dress(form)
    return form


def _dress(form: forms.Form) -> None:
    fields = form.fields
    for name, label in LABELS.items():
        form[name].label = label  # the bound field was made (and took the label) during validation
    for name in ("date_from", "date_to"):
        fields[name].widget = forms.DateInput(attrs={"type": "date"})
    fields["status"].widget = forms.CheckboxSelectMultiple(choices=fields["status"].choices)
    fields["location_ids"].widget.attrs["size"] = 6
    fields["categories"].widget = forms.SelectMultiple(choices=_category_choices(form), attrs={"size": 6})
    for name in ("has_email", "has_phone"):
        fields[name].widget = forms.Select(choices=BOOLEAN_CHOICES)
    fields["ids"].widget = HiddenListInput()
    for name in ("keywords", "exclude_keywords", "location_names"):
        fields[name].widget.attrs["placeholder"] = "comma-separated"


def _category_choices(form: forms.Form) -> list[tuple[str, str]]:
    choices = list(Category.objects.values_list("code", "name"))
    codes = {code for code, _ in choices}
    # A value typed in the URL that is not a code (a name, say) still shows, selected, and is resubmitted.
    chosen = form.data.getlist("categories") if hasattr(form.data, "getlist") else []
    choices += [(value, value) for value in chosen if value not in codes]
    return choices


def more_filters_open(form: forms.Form) -> bool:
    return any(form[name].value() not in (None, "", [], ()) for name in MORE_FIELDS) or any(
        name in form.errors for name in MORE_FIELDS
    )
