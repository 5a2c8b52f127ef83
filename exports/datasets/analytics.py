"""The analytics report of a spec (leads.analytics.report), the same figures the dashboard shows.

No rows: the content is the report, as a JSON document and as tables (an "Overview" of every
single figure, then one table per breakdown, i.e. per list of entries in the report).
"""

from collections.abc import Mapping
from functools import cached_property

from exports.datasets.base import Dataset, Table, TableRow
from exports.datasets.leads import analytics_of
from leads.selectors import lead_list


class AnalyticsDataset(Dataset):
    key = "analytics"
    label = "Analytics"
    has_rows = False
    needs_tables = True
    # Analytics summarise the leads instead of listing them, so the row limit does not apply.
    row_limited = False

    def count(self) -> int:
        return lead_list(filters=self.context.filters).count()

    @cached_property
    def report(self) -> dict:
        return analytics_of(self.context)

    def covered(self) -> int:
        """The leads the report covers, as the report counts them."""
        return self.report["exportable_data"]["total_leads"]

    def tables(self) -> list[Table]:
        return report_tables(self.report)

    def documents(self) -> dict[str, object]:
        return {"analytics": self.report}


def report_tables(report: Mapping) -> list[Table]:
    """An "Overview" table of every single figure, then one table per breakdown (a list of entries)."""
    overview: list[tuple[str, object]] = []
    breakdowns: list[tuple[tuple, list[Mapping]]] = []
    _flatten(report, (), overview, breakdowns)
    tables = [
        Table(name="Overview", title="Analytics", rows=tuple(TableRow((label, value)) for label, value in overview))
    ]
    for path, entries in breakdowns:
        headers = list(dict.fromkeys(key for entry in entries for key in entry))
        rows = [TableRow(tuple(words(header) for header in headers), heading=True)]
        rows.extend(TableRow(tuple(entry.get(header) for header in headers)) for entry in entries)
        parts = [part for part in path if part not in ("buckets",)] or list(path)
        tables.append(Table(name=words(" ".join(map(str, parts))), rows=tuple(rows)))
    return tables


def _flatten(value, path: tuple, overview: list, tables: list) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "filters":
                continue  # the Filters table shows the spec
            _flatten(item, (*path, key), overview, tables)
    elif _is_entries(value):
        _entries_table(value, path, tables)
    elif isinstance(value, list):
        overview.append((" > ".join(words(part) for part in path), ", ".join(map(str, value))))
    else:
        overview.append((" > ".join(words(part) for part in path), value))


def _is_entries(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, Mapping) for item in value)


def _entries_table(entries: list[Mapping], path: tuple, tables: list) -> None:
    """One table of `entries`; a nested list of entries (an A/B test's variants) becomes its own table,
    each row led by its parent's name, and a list of plain values (an interval) one "a - b" cell."""
    flat, children = [], {}
    for entry in entries:
        row = {}
        for key, item in entry.items():
            if _is_entries(item):
                parent = entry.get("name", entry.get("id"))
                label = words(path[-1]).removesuffix("s") if path else "Parent"
                children.setdefault(key, []).extend({label: parent, **child} for child in item)
            elif isinstance(item, list):
                row[key] = " - ".join(map(str, item))
            elif isinstance(item, Mapping):
                continue  # nested objects are not table cells
            else:
                row[key] = item
        flat.append(row)
    tables.append((path, flat))
    for key, child_entries in children.items():
        _entries_table(child_entries, (*path, key), tables)


def words(key) -> str:
    return str(key).replace("_", " ").capitalize()
