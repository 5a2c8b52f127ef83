"""Leads and the analytics of the same spec in one export (the comprehensive package)."""

from functools import cached_property

from exports.datasets.analytics import report_tables
from exports.datasets.base import Table
from exports.datasets.leads import LeadsDataset, analytics_of


class ComprehensiveDataset(LeadsDataset):
    key = "comprehensive"
    label = "Comprehensive (leads and analytics)"
    file_prefix = "leads-analytics"
    needs_tables = True

    @cached_property
    def report(self) -> dict:
        return analytics_of(self.context)

    def tables(self) -> list[Table]:
        return [*super().tables(), *report_tables(self.report)]

    def documents(self) -> dict[str, object]:
        return {"analytics": self.report}

    def attachments(self) -> dict[str, object]:
        return {}  # the analytics are already among the documents
