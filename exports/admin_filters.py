"""The export history reads the lead spec's dates (`date_from`, `date_to`) through ExportFilterSet."""

from exports.filters import ExportFilterSet
from leads.admin.spec_list_filter import SpecListFilter


class ExportSpecListFilter(SpecListFilter):
    title = "period"
    filterset_class = ExportFilterSet
