"""Export data types of outreach, through the one export path (listed in EXPORT_DATASETS).

- `auto_responses`: one row per message to the leads the spec selects; the address only when the
  export includes contact information (which the export service allows only with the contact
  permission). Who exported it decides which messages: managers all, sales staff their assigned
  leads' (outreach.access).
- `ab_test_results`: one row per variant of every A/B test with the figures of the analytics.
Rows stream from `values_list(...).iterator()`; every table format (CSV, Excel, JSON, ZIP) holds them.
"""

from collections.abc import Iterator, Sequence

from django.contrib.auth import get_user_model
from django.utils import timezone

from exports.content.columns import CellKind
from exports.datasets.base import Dataset, Field, Layout, Style
from outreach.analytics import messages_for
from outreach.models import OUTCOME_STATUSES, AutoResponse, AutoResponseStatus
from outreach.selectors.ab_tests import ab_test_results

STATUS_LABELS = dict(AutoResponseStatus.choices)
# (key, header, values_list path, kind); the address is contact data.
MESSAGE_COLUMNS = (
    ("id", "Message id", "pk", CellKind.INTEGER),
    ("lead_id", "Lead id", "lead_id", CellKind.INTEGER),
    ("lead_title", "Lead title", "lead__title", CellKind.TEXT),
    ("template", "Template", "template__name", CellKind.TEXT),
    ("variant", "Variant", "variant__name", CellKind.TEXT),
    ("ab_test", "A/B test", "ab_test__name", CellKind.TEXT),
    ("rule_execution_id", "Rule execution id", "rule_execution_id", CellKind.INTEGER),
    ("status", "Status", "status", CellKind.TEXT),
    ("outcome", "Outcome (lead status)", "lead__status", CellKind.TEXT),
    ("queued_at", "Queued at", "queued_at", CellKind.DATETIME),
    ("sent_at", "Sent at", "sent_at", CellKind.DATETIME),
    ("delivered_at", "Delivered at", "delivered_at", CellKind.DATETIME),
    ("replied_at", "Replied at", "replied_at", CellKind.DATETIME),
    ("bounced_at", "Bounced at", "bounced_at", CellKind.DATETIME),
    ("opted_out_at", "Opted out at", "opted_out_at", CellKind.DATETIME),
)
CONTACT_COLUMNS = (("to_email", "E-mail", "to_email", CellKind.TEXT),)
CHUNK = 2000
# Every format writes INTEGER cells as the number they hold (ints and floats alike): rates and p-values.
NUMBER = CellKind.INTEGER


class AutoResponsesDataset(Dataset):
    key = "auto_responses"
    label = "Auto-responses"
    file_prefix = "auto-responses"
    rows_key = "auto_responses"
    rows_label = "Auto-responses"

    def columns(self) -> tuple:
        return MESSAGE_COLUMNS + (CONTACT_COLUMNS if self.context.include_contact_info else ())

    def messages(self):
        messages = messages_for(filters=self.context.filters)
        user = get_user_model().objects.filter(username=self.context.generated_by).first()
        return messages if user is None else messages.for_user(user)

    def count(self) -> int:
        return self.messages().count()

    def layout(self, style: Style) -> Layout:
        raw = style == Style.DOCUMENT or self.context.update_ready
        return Layout(
            fields=tuple(
                Field(key=key, name=key if raw else header, kind=kind) for key, header, _, kind in self.columns()
            ),
            raw=raw,
        )

    def rows(self, style: Style) -> Iterator[Sequence]:
        columns = self.columns()
        paths = [path for _, _, path, _ in columns]
        readable = not (style == Style.DOCUMENT or self.context.update_ready)
        status_at, outcome_at = paths.index("status"), paths.index("lead__status")
        queued = AutoResponse.objects.filter(pk__in=self.messages().values("pk"))
        values = queued.order_by("pk").values_list(*paths, "lead_status_at_queue")
        for row in values.iterator(chunk_size=CHUNK):
            row = list(row)
            at_queue = row.pop()
            outcome = row[outcome_at]
            row[outcome_at] = outcome if outcome in OUTCOME_STATUSES and outcome != at_queue else ""
            if readable:
                row[status_at] = STATUS_LABELS.get(row[status_at], row[status_at])
            yield row


AB_COLUMNS = (
    ("test_id", "Test id", CellKind.INTEGER),
    ("test", "Test", CellKind.TEXT),
    ("template", "Template", CellKind.TEXT),
    ("status", "Status", CellKind.TEXT),
    ("state", "State", CellKind.TEXT),
    ("winner", "Winner", CellKind.TEXT),
    ("p_value", "p-value", NUMBER),
    ("variant", "Variant", CellKind.TEXT),
    ("weight", "Weight", CellKind.INTEGER),
    ("sent", "Sent", CellKind.INTEGER),
    ("delivered", "Delivered", CellKind.INTEGER),
    ("replied", "Replied", CellKind.INTEGER),
    ("converted", "Converted", CellKind.INTEGER),
    ("reply_rate", "Reply rate", NUMBER),
    ("reply_rate_ci_low", "Reply rate 95% low", NUMBER),
    ("reply_rate_ci_high", "Reply rate 95% high", NUMBER),
    ("conversion_rate", "Conversion rate", NUMBER),
    ("conversion_rate_ci_low", "Conversion rate 95% low", NUMBER),
    ("conversion_rate_ci_high", "Conversion rate 95% high", NUMBER),
    ("started_at", "Started at", CellKind.DATETIME),
    ("ended_at", "Ended at", CellKind.DATETIME),
)


class ABTestResultsDataset(Dataset):
    """Every A/B test, whole (lead filters do not slice an experiment); one row per variant."""

    key = "ab_test_results"
    label = "A/B test results"
    file_prefix = "ab-test-results"
    rows_key = "ab_test_results"
    rows_label = "AB test results"  # an Excel sheet name cannot hold "/"
    row_limited = False  # one row per variant: a handful

    def results(self):
        return ab_test_results()

    def count(self) -> int:
        return sum(len(result.variants) for result in self.results())

    def layout(self, style: Style) -> Layout:
        raw = style == Style.DOCUMENT or self.context.update_ready
        return Layout(fields=tuple(Field(key=k, name=k if raw else h, kind=kind) for k, h, kind in AB_COLUMNS), raw=raw)

    def rows(self, style: Style) -> Iterator[Sequence]:
        for result in self.results():
            for v in result.variants:
                reply_ci, conversion_ci = v.reply_rate_ci or [None, None], v.conversion_rate_ci or [None, None]
                yield [
                    result.id, result.name, result.template, result.status, result.state, result.winner,
                    result.p_value, v.variant, v.weight, v.sent, v.delivered, v.replied, v.converted,
                    v.reply_rate, *reply_ci, v.conversion_rate, *conversion_ci,
                    _aware(result.started_at), _aware(result.ended_at),
                ]  # fmt: skip

    def filters_summary(self) -> str:
        return "Every A/B test (lead filters do not apply)"


def _aware(value):
    return None if value is None else timezone.localtime(value)
