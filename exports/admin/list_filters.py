"""List filters of the export history and the saved exports, every choice in words.

The history's dates (`date_from`, `date_to`) go through ExportFilterSet; the format and data type
come from their registries (labels such as "Excel", never the stored key).
"""

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


class ScheduleListFilter(admin.ChoicesFieldListFilter):
    """The saved exports' frequency, titled as the list's column ("By schedule")."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = "schedule"


class ActiveListFilter(admin.SimpleListFilter):
    """Active or paused saved exports, in words ("By state: Active / Paused")."""

    title = "state"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", "Active"), ("no", "Paused")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_active=self.value() == "yes")
        return queryset


class CreatedListFilter(admin.DateFieldListFilter):
    """When an export was made ("By date created", not the field's name "created at")."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = "date created"
