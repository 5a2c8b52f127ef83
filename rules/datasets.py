"""The `rule_executions` export data type: one row per rule run, for the period of the spec's dates.

Like the rules analytics, `date_from`/`date_to` (site days, by the day a run started) choose the
runs; without them, every run. Other spec parameters describe leads and do not apply.
"""

import datetime
from collections.abc import Iterator, Sequence

from django.utils import timezone

from exports.content.columns import CellKind
from exports.datasets.base import Dataset, Field, Layout, Style, Table
from rules.models import RuleExecution

FIELDS = (
    ("id", "Run id", CellKind.INTEGER),
    ("rule_id", "Rule id", CellKind.INTEGER),
    ("rule", "Rule", CellKind.TEXT),
    ("trigger", "Trigger", CellKind.TEXT),
    ("slot", "Scheduled slot", CellKind.DATETIME),
    ("status", "Status", CellKind.TEXT),
    ("started_at", "Started", CellKind.DATETIME),
    ("finished_at", "Finished", CellKind.DATETIME),
    ("leads_matched", "Leads matched", CellKind.INTEGER),
    ("leads_acted", "Leads acted on", CellKind.INTEGER),
    ("actions_done", "Actions done", CellKind.INTEGER),
    ("skipped", "Skipped", CellKind.INTEGER),
    ("errors", "Errors", CellKind.INTEGER),
    ("error", "Error", CellKind.TEXT),
)
VALUES = ("id", "rule_id", "rule__name", "trigger", "slot", "status", "started_at", "finished_at",
          "leads_matched", "leads_acted", "actions_done", "skipped", "errors", "error")  # fmt: skip


def rule_execution_list(*, filters) -> "RuleExecution.objects":
    runs = RuleExecution.objects.order_by("-started_at", "-id")
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        day = datetime.date.fromisoformat(str(filters["date_from"]))
        runs = runs.filter(started_at__gte=datetime.datetime.combine(day, datetime.time(), tzinfo=tz))
    if filters.get("date_to"):
        day = datetime.date.fromisoformat(str(filters["date_to"])) + datetime.timedelta(days=1)
        runs = runs.filter(started_at__lt=datetime.datetime.combine(day, datetime.time(), tzinfo=tz))
    return runs


class RuleExecutionsDataset(Dataset):
    key = "rule_executions"
    label = "Rule executions"
    file_prefix = "rule-executions"
    rows_key = "rule_executions"
    rows_label = "Rule executions"

    def _runs(self):
        return rule_execution_list(filters=self.context.filters)

    def count(self) -> int:
        return self._runs().count()

    def layout(self, style: Style) -> Layout:
        document = style == Style.DOCUMENT
        return Layout(fields=tuple(Field(key, key if document else header, kind) for key, header, kind in FIELDS))

    def rows(self, style: Style) -> Iterator[Sequence]:
        labels = dict(RuleExecution._meta.get_field("trigger").choices)
        statuses = dict(RuleExecution._meta.get_field("status").choices)
        for row in self._runs().values_list(*VALUES).iterator(chunk_size=2000):
            row = list(row)
            if style == Style.TABLE:
                row[3], row[5] = labels.get(row[3], row[3]), statuses.get(row[5], row[5])
            yield row

    def tables(self) -> list[Table]:
        return [self.about_table(rows=self.count())]

    def filters_summary(self) -> str:
        start, end = self.context.filters.get("date_from"), self.context.filters.get("date_to")
        if not (start or end):
            return "Every run"
        return f"Runs started from {start or 'the first run'} to {end or 'today'}"
