"""A small streaming writer of .xlsx workbooks (SpreadsheetML in a ZIP), for exports.

Why our own: on export-shaped data (fourteen columns, a million rows) the general writers spend
most of their time per cell in Python. Writing the same 100,000 rows side by side on this
project's machine, XlsxWriter's constant_memory mode took about nine times as long as this
module, and import-export's XLSX path (openpyxl) is slower still (bench/exports.py prints the
figures). An export needs only a few things: text, numbers and dates, five fixed styles, a
frozen bold header, an autofilter and column widths. This module writes exactly that, in
document order, straight into the ZIP member, so memory stays flat. It never writes a formula
element: a cell is an inline string or a number. It follows the XML Excel itself writes
(ECMA-376 SpreadsheetML); its tests read every file back with openpyxl.

Layout of the package: [Content_Types].xml, _rels/.rels, docProps/core.xml, xl/workbook.xml (with
an _xlnm._FilterDatabase name per autofilter, as Excel writes it), xl/_rels/workbook.xml.rels,
xl/styles.xml and xl/worksheets/sheetN.xml. Sheets are written one after the other (a ZIP takes
one member at a time); the workbook parts are written when the book is closed.

Column widths must precede the rows in a sheet's XML, so a sheet keeps its first
`sample_rows` rows (already encoded) until they tell the widths, then streams.
"""

import datetime
import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from typing import BinaryIO

from exports.formats.safety import excel_text

# Cell styles (indexes into cellXfs of STYLES_XML).
PLAIN, BOLD, DATE, MONEY, SHARE = 0, 1, 2, 3, 4
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
MONEY_FORMAT = '"$"#,##0.00'
SHARE_FORMAT = "0.0%"
EXCEL_MAX_COLUMNS = 16_384
FLUSH_ROWS = 256
FLUSH_CHARS = 1_000_000
SAMPLE_CHARS = 8_000_000  # a sample of very long rows stops early, so memory stays bounded
DEFAULT_WIDTH_SAMPLE = 1000
MIN_WIDTH = 6
MAX_WIDTH = 60
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_EXCEL_ESCAPE = re.compile("(_x[0-9A-Fa-f]{4}_)")

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def xml_escape(text: str) -> str:
    """Escape text for element content; CR as a character reference, which XML parsers keep.

    Excel reads "_xHHHH_" in text as an escaped character, so a literal one is escaped itself.
    """
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F\1", text)
    return text


def _attribute(text: str) -> str:
    return xml_escape(text).replace('"', "&quot;")


def excel_serial(local: datetime.datetime) -> float:
    """A wall-clock datetime as an Excel date number (days since 1899-12-30), whole seconds."""
    delta = local.replace(tzinfo=None) - _EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def text_cell(ref: str, text: str, style: int = PLAIN) -> str:
    """An inline-string cell; `text` must already be fit for Excel (safety.excel_text)."""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{xml_escape(text)}</t></is></c>'


def number_cell(ref: str, number: int | float, style: int = PLAIN) -> str:
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled}><v>{number!r}</v></c>'


def fitted_width(characters: int) -> float:
    return float(max(MIN_WIDTH, min(MAX_WIDTH, characters + 2)))


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
        """Add a row of Python values: str, int, float, Decimal, bool, aware or naive datetime, None."""
        cells = []
        row = self.next_row
        for col, value in enumerate(values):
            cell_style = styles[col] if styles is not None and col < len(styles) and styles[col] is not None else style
            encoded, width = _encode(f"{column_letter(col)}{row}", value, cell_style)
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
            f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
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


def _encode(ref: str, value, style: int) -> tuple[str, int]:
    """A Python value as a cell, and the characters it shows (for the column width)."""
    if value is None or value == "":
        return "", 0
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return number_cell(ref, excel_serial(value), DATE), len(DATE_FORMAT)
    if isinstance(value, datetime.date):
        value = value.isoformat()
    if isinstance(value, int | float | Decimal):
        number = value if isinstance(value, int) else float(value)
        shown = f"{number:,.2f}" if style == MONEY else f"{number:.1%}" if style == SHARE else str(value)
        return number_cell(ref, number, style), len(shown)
    text = excel_text(str(value))
    if not text:
        return "", 0
    return text_cell(ref, text, style), max((len(line) for line in text.splitlines()), default=0)


class Workbook:
    """An .xlsx written into `destination` (a binary file); add sheets in order, then close()."""

    def __init__(self, destination: BinaryIO, *, compresslevel: int = 6, creator: str = "Leadsite"):
        self._zip = zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheets: list[Sheet] = []
        self._creator = creator

    def add_sheet(
        self,
        name: str,
        *,
        freeze_header: bool = False,
        autofilter: bool = False,
        sample_rows: int = DEFAULT_WIDTH_SAMPLE,
    ) -> Sheet:
        """A new sheet after the others; the previous sheet is closed (a ZIP takes one member at a time)."""
        if self._sheets:
            self._sheets[-1].close()
        if any(sheet.name.lower() == name.lower() for sheet in self._sheets):
            raise ValueError(f"A sheet named {name!r} already exists.")
        sheet = Sheet(
            self,
            len(self._sheets) + 1,
            name,
            freeze_header=freeze_header,
            autofilter=autofilter,
            sample_rows=sample_rows,
        )
        self._sheets.append(sheet)
        return sheet

    @property
    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self._sheets]

    def _open_member(self, name: str):
        return self._zip.open(name, "w")

    def abort(self) -> None:
        """Give up after an error: release the ZIP without finishing it (the caller discards the file)."""
        sheet = self._sheets[-1] if self._sheets else None
        try:
            if sheet is not None and sheet._member is not None:
                sheet._member.close()
            self._zip.close()
        except Exception:  # the file is discarded anyway; the original error matters
            pass

    def close(self) -> None:
        if not self._sheets:
            self.add_sheet("Sheet1")
        self._sheets[-1].close()
        parts = {
            "[Content_Types].xml": self._content_types(),
            "_rels/.rels": _ROOT_RELS,
            "docProps/core.xml": self._core(),
            "xl/workbook.xml": self._workbook(),
            "xl/_rels/workbook.xml.rels": self._workbook_rels(),
            "xl/styles.xml": STYLES_XML,
        }
        for name, text in parts.items():
            self._zip.writestr(name, text.encode("utf-8"))
        self._zip.close()

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{sheet.number}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for sheet in self._sheets
        )
        return (
            f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{sheets}"
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            "</Types>"
        )

    def _core(self) -> str:
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            f"{_XML_HEAD}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{xml_escape(self._creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{_attribute(sheet.name)}" sheetId="{sheet.number}" r:id="rId{sheet.number}"/>'
            for sheet in self._sheets
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{sheet.number - 1}" hidden="1">'
            f"{xml_escape(_quoted_sheet(sheet.name))}!{sheet.filter_range}</definedName>"
            for sheet in self._sheets
            if sheet.filter_range
        )
        return (
            f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            f"{f'<definedNames>{names}</definedNames>' if names else ''}"
            '<calcPr calcId="191029"/></workbook>'
        )

    def _workbook_rels(self) -> str:
        relations = "".join(
            f'<Relationship Id="rId{sheet.number}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{sheet.number}.xml"/>'
            for sheet in self._sheets
        )
        styles = (
            f'<Relationship Id="rId{len(self._sheets) + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        )
        return (
            f'{_XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{relations}{styles}</Relationships>"
        )


def _quoted_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _escaped_format(code: str) -> str:
    return code.replace("&", "&amp;").replace('"', "&quot;")


_ROOT_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    "</Relationships>"
)

_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_XF = 'fontId="{font}" fillId="0" borderId="0" xfId="0"'
STYLES_XML = (
    f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
    '<numFmts count="3">'
    f'<numFmt numFmtId="164" formatCode="{_escaped_format(DATE_FORMAT)}"/>'
    f'<numFmt numFmtId="165" formatCode="{_escaped_format(MONEY_FORMAT)}"/>'
    f'<numFmt numFmtId="166" formatCode="{_escaped_format(SHARE_FORMAT)}"/>'
    "</numFmts>"
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    f'<xf numFmtId="0" {_XF.format(font=0)}/>'
    f'<xf numFmtId="0" {_XF.format(font=1)} applyFont="1"/>'
    f'<xf numFmtId="164" {_XF.format(font=0)} applyNumberFormat="1"/>'
    f'<xf numFmtId="165" {_XF.format(font=0)} applyNumberFormat="1"/>'
    f'<xf numFmtId="166" {_XF.format(font=0)} applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/>'
    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
    "</styleSheet>"
)
