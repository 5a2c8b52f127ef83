"""The "Notes" sheet: the lead cells a workbook could not hold whole, so the file says which.

sheetml.fit_text cuts a cell over Excel's length limit, or replaces characters XML cannot carry,
and ends it with sheetml.CUT_MARKER; the export lists every such cell here (sheet, row, lead id,
column, what happened), so nobody takes the cell for the stored value. An import refuses cells
that carry the marker (leads.import_cells), so the stored value is never overwritten with a cut one.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from exports.formats.sheetml import BOLD, CUT_MARKER, Workbook

NOTES_SHEET = "Notes"
MAX_LISTED = 10_000  # a pathological export lists the first ones and counts the rest


@dataclass(frozen=True)
class CellNote:
    sheet: str
    row: int
    lead_id: object
    column: str
    problem: str


@dataclass
class CellNotes:
    """The cut cells of a leads export: `record` is the lead row encoder's `on_cut`, given the sheet's name."""

    headers: list[str]
    id_index: int | None = None  # where the lead id is in a row, when the export has the id column
    listed: list[CellNote] = field(default_factory=list)
    total: int = 0

    def record(self, sheet: str, cells: Sequence, row: int, index: int, problem: str) -> None:
        self.total += 1
        if len(self.listed) < MAX_LISTED:
            lead_id = cells[self.id_index] if self.id_index is not None else None
            self.listed.append(CellNote(sheet, row, lead_id, self.headers[index], problem))


def write_notes_sheet(workbook: Workbook, notes: CellNotes) -> None:
    """A "Notes" sheet listing the cut cells; nothing when every cell was written whole."""
    if not notes.total:
        return
    sheet = workbook.add_sheet(NOTES_SHEET, freeze_header=False)
    sheet.append([f"{notes.total:,} cells could not be written whole"], style=BOLD)
    sheet.append(
        [
            f'Each ends with "{CUT_MARKER.strip()}". Importing this file refuses those cells, so the stored '
            "values stay as they are; use a CSV or JSON export to get the whole text."
        ]
    )
    if notes.total > len(notes.listed):
        sheet.append([f"The first {len(notes.listed):,} are listed."])
    sheet.append_xml("", 0)
    sheet.append(["Sheet", "Row", "Lead id", "Column", "What happened"], style=BOLD)
    for note in notes.listed:
        sheet.append([note.sheet, note.row, note.lead_id, note.column, note.problem])
    sheet.close()
