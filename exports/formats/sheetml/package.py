"""The workbook: a ZIP of SpreadsheetML parts, sheets streamed one after the other.

Layout of the package: [Content_Types].xml, _rels/.rels, docProps/core.xml, xl/workbook.xml (with
an _xlnm._FilterDatabase name per autofilter, as Excel writes it), xl/_rels/workbook.xml.rels,
xl/styles.xml and xl/worksheets/sheetN.xml. Sheets are written one after the other (a ZIP takes
one member at a time); the workbook parts are written when the book is closed.
"""

import datetime
import zipfile
from typing import BinaryIO

from django.utils import timezone

from exports.formats.sheetml.cells import attribute_escape
from exports.formats.sheetml.sheet import DEFAULT_WIDTH_SAMPLE, Sheet
from exports.formats.sheetml.styles import MAIN_NS, REL_NS, STYLES_XML, XML_HEAD


class Workbook:
    """An .xlsx written into `destination` (a binary file); add sheets in order, then close()."""

    def __init__(
        self,
        destination: BinaryIO,
        *,
        compresslevel: int = 6,
        creator: str = "Leadsite",
        zone: datetime.tzinfo | None = None,
    ):
        self._zone = zone
        self._zip = zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheets: list[Sheet] = []
        self._creator = creator

    @property
    def zone(self) -> datetime.tzinfo:
        """Aware datetimes are shown as wall-clock time here: the site's time zone unless told otherwise."""
        if self._zone is None:
            self._zone = timezone.get_default_timezone()  # looked up late: the writer works without settings
        return self._zone

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
            f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
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
            f"{XML_HEAD}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{attribute_escape(self._creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{attribute_escape(sheet.name)}" sheetId="{sheet.number}" r:id="rId{sheet.number}"/>'
            for sheet in self._sheets
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{sheet.number - 1}" hidden="1">'
            f"{attribute_escape(_quoted_sheet(sheet.name))}!{sheet.filter_range}</definedName>"
            for sheet in self._sheets
            if sheet.filter_range
        )
        return (
            f'{XML_HEAD}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
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
            f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{relations}{styles}</Relationships>"
        )


def _quoted_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


_ROOT_RELS = (
    f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    "</Relationships>"
)
