"""The leads a filter spec selects, in the chosen columns (exports.columns), with their summary.

TABLE rows are readable (labels, names, local times) or, for an update-ready file, the raw codes
under the import's names; DOCUMENT rows use the column keys, raw codes and nested objects. The
Excel "Summary" table is computed in the database (exports.summary).
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property

from django.utils import timezone

from exports.columns import Column, ValueMode, columns_for_update, columns_resolve
from exports.datasets.base import (
    CellStyle,
    Dataset,
    ExportContext,
    Field,
    Layout,
    ProgressCallback,
    Style,
    Table,
    TableRow,
    ValuesSource,
)
from exports.rows import lead_rows, lead_value_rows
from exports.transforms import columns_transformed, header_for
from leads.selectors import lead_list


class LeadsDataset(Dataset):
    key = "leads"
    label = "Leads"
    rows_key = "leads"
    rows_label = "Leads"

    @classmethod
    def clean_columns(cls, *, keys: Sequence[str] | None, include_contact_info: bool) -> list[str]:
        resolved = columns_resolve(keys=list(keys) if keys else None, include_contact_info=include_contact_info)
        return [column.key for column in resolved]

    def count(self) -> int:
        return lead_list(filters=self.context.filters).count()

    @cached_property
    def chosen_columns(self) -> tuple[Column, ...]:
        context = self.context
        return tuple(
            columns_resolve(keys=list(context.columns) or None, include_contact_info=context.include_contact_info)
        )

    def columns_for(self, style: Style) -> tuple[tuple[Column, ...], ValueMode]:
        """The lead columns and value mode of `style` (update-ready files: the import's columns, raw).

        The columns carry the export's transformations (exports.transforms): every format and path
        that reads them applies the same phone format, contact mode, dates and suppression.
        """
        if self.context.update_ready:
            columns, mode = tuple(columns_for_update(self.chosen_columns)), ValueMode.RAW
        else:
            columns, mode = self.chosen_columns, ValueMode.READABLE if style == Style.TABLE else ValueMode.DOCUMENT
        return columns_transformed(columns, mode, self.context.transforms), mode

    def layout(self, style: Style) -> Layout:
        columns, mode = self.columns_for(style)
        transforms = self.context.transforms
        fields = tuple(
            Field(key=column.key, name=header_for(column, mode, transforms), kind=column.kind_for(mode))
            for column in columns
        )
        return Layout(fields=fields, raw=mode != ValueMode.READABLE)

    def rows(self, style: Style) -> Iterator[Sequence]:
        columns, mode = self.columns_for(style)
        return lead_rows(filters=self.context.filters, columns=columns, mode=mode)

    def tables(self) -> list[Table]:
        from exports.summary import export_summary

        return [summary_table(export_summary(filters=self.context.filters))]

    def attachments(self) -> dict[str, object]:
        # A package of leads carries the analytics of the same spec beside them.
        return {"analytics": analytics_of(self.context)}

    def copy_csv_rows(self, *, write: Callable[[bytes], object], on_progress: ProgressCallback) -> int | None:
        from exports.formats.pg_copy import copy_csv_rows, copy_supported

        columns, mode = self.columns_for(Style.TABLE)
        if not copy_supported(columns=columns, mode=mode):
            return None
        return copy_csv_rows(filters=self.context.filters, columns=columns, write=write, on_progress=on_progress)

    def values_source(self, style: Style) -> ValuesSource | None:
        columns, mode = self.columns_for(style)
        filters = self.context.filters
        return ValuesSource(
            columns=columns,
            mode=mode,
            rows=lambda fields: lead_value_rows(filters=filters, fields=fields),
            names=tuple(self.layout(style).names),
        )

    def privacy_facts(self) -> list[tuple[str, object]]:
        if not any(column.is_contact for column in self.chosen_columns):
            return []
        return [("Suppressed leads (do-not-contact list; contact fields left empty)", self.suppressed_count)]

    @cached_property
    def suppressed_count(self) -> int:
        return lead_list(filters=self.context.filters).suppressed().count()

    def metadata(self) -> dict:
        metadata = super().metadata()
        if any(column.is_contact for column in self.chosen_columns):
            metadata["suppressed_leads"] = self.suppressed_count
            metadata["suppressed_note"] = "Leads on the do-not-contact list have their contact fields left empty."
        return metadata

    def lead_ids(self) -> Iterator[int]:
        return lead_list(filters=self.context.filters).values_list("pk", flat=True).iterator(chunk_size=10_000)


def analytics_of(context: ExportContext) -> dict:
    from leads.analytics.report import analytics_report  # heavy, and only some exports need it

    return analytics_report(filters=context.filters)


def summary_table(summary: Mapping) -> Table:
    """The Excel "Summary": count, prices, dates, contact availability, and leads by status, location, category."""
    zone = timezone.get_default_timezone_name()
    money, share = CellStyle.MONEY, CellStyle.SHARE
    overview = [
        ("Leads", summary["count"], None),
        ("Leads with a price", summary["with_price"], None),
        ("Lowest price", summary["price_min"], money),
        ("Highest price", summary["price_max"], money),
        ("Average price", summary["price_average"], money),
        ("Total of prices", summary["price_total"], money),
        (f"First found ({zone})", summary["first_found"], None),
        (f"Last found ({zone})", summary["last_found"], None),
        ("Leads with an e-mail address", summary["with_email"], None),
        ("Leads with a phone number", summary["with_phone"], None),
    ]
    rows = [TableRow((label, value), styles=(None, style)) for label, value, style in overview]
    rows.append(TableRow())
    rows.append(TableRow(("Status", "Leads", "Share"), heading=True))
    rows.extend(
        TableRow((entry["label"], entry["count"], entry["share"]), styles=(None, None, share))
        for entry in summary["by_status"]
    )
    for title, code_key, key in (("Location", "site_code", "by_location"), ("Category", "code", "by_category")):
        rows.append(TableRow())
        rows.append(TableRow((title, "Code", "Leads", "Share"), heading=True))
        rows.extend(
            TableRow((entry["name"], entry[code_key], entry["count"], entry["share"]), styles=(None, None, None, share))
            for entry in summary[key]
        )
    return Table(name="Summary", title="Summary of the exported leads", rows=tuple(rows))
