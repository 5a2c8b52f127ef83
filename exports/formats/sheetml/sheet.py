"""One worksheet of a streamed workbook, written row after row.

Column widths must precede the rows in a sheet's XML, so a sheet keeps its first `sample_rows`
rows (already encoded) until they tell the widths, then streams.
"""

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from exports.formats.sheetml.cells import PLAIN, column_letter, encode_value, fitted_width
from exports.formats.sheetml.styles import MAIN_NS, REL_NS, XML_HEAD

if TYPE_CHECKING:
    from exports.formats.sheetml.package import Workbook

FLUSH_ROWS = 256
FLUSH_CHARS = 1_000_000
SAMPLE_CHARS = 8_000_000  # a sample of very long rows stops early, so memory stays bounded
DEFAULT_WIDTH_SAMPLE = 1000


class Sheet:
    """One worksheet, written row after row. Get it from Workbook.add_sheet; close it when done."""

    def __init__(
        self, book: "Workbook", number: int, name: str, *, freeze_header: bool, autofilter: bool, sample_rows: int
    ):
        self._book = book
        self.number = number
        self.name = name
        self.freeze_header = freeze_header
        self.autofilter = autofilter
        self.sample_rows = sample_rows
        self.widths: list[int] = []
        self.next_row = 1  # 1-based number of the row the next append gets
        self.columns = 0  # widest row so far
        self.bytes_written = 0
        self._pending: list[str] = []
        self._pending_chars = 0
        self._member = None
        self.closed = False

    # --- rows ------------------------------------------------------------------------------------

    def append_xml(self, cells_xml: str, columns: int) -> None:
        """Add a row whose cells are already encoded (with references on row `next_row`)."""
        row = f'<row r="{self.next_row}">{cells_xml}</row>'
        self.next_row += 1
        if columns > self.columns:
            self.columns = columns
        self._pending.append(row)
        self._pending_chars += len(row)
        if self._member is None:
            if self.next_row > self.sample_rows or self._pending_chars >= SAMPLE_CHARS:
                self._flush()
        elif len(self._pending) >= FLUSH_ROWS or self._pending_chars >= FLUSH_CHARS:
            self._flush()

    @property
    def sampling(self) -> bool:
        """True while rows are kept to measure column widths (nothing written yet)."""
        return self._member is None

    def append(self, values: Sequence, *, styles: Sequence[int | None] | None = None, style: int = PLAIN) -> None:
        """Add a row of Python values (see cells.encode_value; aware datetimes in the workbook's zone)."""
        cells = []
        row = self.next_row
        zone = self._book.zone if any(isinstance(value, datetime.datetime) for value in values) else None
        for col, value in enumerate(values):
            cell_style = styles[col] if styles is not None and col < len(styles) and styles[col] is not None else style
            encoded, width = encode_value(f"{column_letter(col)}{row}", value, cell_style, zone)
            if encoded:
                cells.append(encoded)
                self.fit(col, width)
        self.append_xml("".join(cells), len(values))

    def fit(self, col: int, characters: int) -> None:
        """Widen column `col` to show `characters` (only before the widths are written)."""
        widths = self.widths
        while len(widths) <= col:
            widths.append(0)
        if characters > widths[col]:
            widths[col] = characters

    @property
    def rows(self) -> int:
        return self.next_row - 1

    # --- output ----------------------------------------------------------------------------------

    def _flush(self) -> None:
        if self._member is None:
            self._member = self._book._open_member(f"xl/worksheets/sheet{self.number}.xml")
            self._write(self._head())
        self._write("".join(self._pending))
        self._pending.clear()
        self._pending_chars = 0

    def _write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.bytes_written += len(data)
        self._member.write(data)

    def _head(self) -> str:
        selected = ' tabSelected="1"' if self.number == 1 else ""
        if self.freeze_header:
            view = (
                f'<sheetView workbookViewId="0"{selected}>'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
            )
        else:
            view = f'<sheetView workbookViewId="0"{selected}/>'
        cols = "".join(
            f'<col min="{col + 1}" max="{col + 1}" width="{fitted_width(width)}" customWidth="1"/>'
            for col, width in enumerate(self.widths)
            if width
        )
        return (
            f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"{f'<cols>{cols}</cols>' if cols else ''}<sheetData>"
        )

    @property
    def filter_range(self) -> str | None:
        if not self.autofilter or not self.columns:
            return None
        return f"$A$1:${column_letter(self.columns - 1)}${max(self.rows, 1)}"

    def close(self) -> None:
        if self.closed:
            return
        self._flush()
        tail = "</sheetData>"
        if self.filter_range:
            tail += f'<autoFilter ref="{self.filter_range.replace("$", "")}"/>'
        tail += '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
        self._write(tail)
        self._member.close()
        self._member = None
        self.closed = True
