"""The rows of the dashboard's tables, declared as columns: a header and how a cell reads an entry.

Charts and tables show analytics entries (dicts); one declaration per table
gives both its headers and its formatted cells, so a column is added in one place.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from leads.analytics import formatting as fmt

Column = tuple[str, Callable[[dict], str]]


@dataclass
class TableRow:
    cells: list[str]
    link: str | None = None  # for the first cell


def text(key: str) -> Callable[[dict], str]:
    return lambda entry: entry[key]


def number(key: str) -> Callable[[dict], str]:
    return lambda entry: fmt.number(entry[key])


def percent(key: str) -> Callable[[dict], str]:
    return lambda entry: fmt.percent(entry[key])


def tabulate(columns: Sequence[Column], entries: Sequence[dict], links: Sequence[str | None] | None = None) -> dict:
    """`headers` and `rows` of a table (keyword arguments of ChartPanel and Table)."""
    links = links if links is not None else [None] * len(entries)
    return {
        "headers": [header for header, _ in columns],
        "rows": [
            TableRow([read(entry) for _, read in columns], link) for entry, link in zip(entries, links, strict=True)
        ],
    }
