"""The export history's list filters: the lead spec's dates (`date_from`, `date_to`) through
ExportFilterSet, and the format and data type from their registries."""

from django.contrib import admin

from exports.datasets.registry import dataset_choices
from exports.formats.registry import format_choices
from exports.records.filters import ExportFilterSet
from leads.admin.spec_list_filter import SpecListFilter


class ExportSpecListFilter(SpecListFilter):
    title = "period"
    filterset_class = ExportFilterSet


class RegistryListFilter(admin.SimpleListFilter):
    """Filter by a key whose choices come from a registry (the fields store plain keys)."""

    registry_choices = staticmethod(lambda: [])

    def lookups(self, request, model_admin):
        return self.registry_choices()

    def queryset(self, request, queryset):
        return queryset.filter(**{self.parameter_name: self.value()}) if self.value() else queryset


class FormatListFilter(RegistryListFilter):
    title = "format"
    parameter_name = "format"
    registry_choices = staticmethod(format_choices)


class DataTypeListFilter(RegistryListFilter):
    title = "data"
    parameter_name = "data_type"
    registry_choices = staticmethod(dataset_choices)
