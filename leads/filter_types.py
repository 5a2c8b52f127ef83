"""The django-filter Filter classes of the spec, each over one strict form field (leads.filter_fields)."""

import django_filters
from django import forms

from leads.filter_fields import (
    AssigneeField,
    IntegerListField,
    IsoDateField,
    IsoDateTimeField,
    SpecTextField,
    SplitModelMultipleChoiceField,
    SplitMultipleChoiceField,
    StrictBooleanField,
    TextListField,
)


class TextListFilter(django_filters.Filter):
    field_class = TextListField


class IntegerListFilter(django_filters.Filter):
    field_class = IntegerListField


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class IsoDateFilter(django_filters.Filter):
    field_class = IsoDateField


class IsoDateTimeFilter(django_filters.Filter):
    field_class = IsoDateTimeField


class SplitMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = SplitMultipleChoiceField


class SplitModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SplitModelMultipleChoiceField


class TextFilter(django_filters.CharFilter):
    field_class = SpecTextField


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class AssigneeFilter(django_filters.Filter):
    field_class = AssigneeField
