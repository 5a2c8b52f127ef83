"""Import cells back to the values an export wrote, and the cells an import must refuse.

What an export does to a text cell, this module undoes exactly, so an exported file re-imports as
it was (tests/roundtrip/ proves it for arbitrary text):

- CSV and Excel: the formula-injection quote (exports.formats.safety.unneutralise removes only the
  quote the exporter added, so a genuine leading apostrophe stays);
- Excel: "_xHHHH_" escapes (ECMA-376 ST_Xstring; Excel writes a literal "_x0041_" as "_x005F_x0041_",
  and openpyxl hands the escaped text over), decoded before the quote is removed.

Refused, with the row and column named (the file is not imported, nothing is saved):

- a NUL character or a lone surrogate, which PostgreSQL cannot store (and SQLite would store
  silently, so the databases would hold different data);
- a cell that ends with the export's cut marker (exports.formats.sheetml.CUT_MARKER): the
  workbook could not hold the whole value, and importing it would overwrite the stored one.
"""

import re
from collections.abc import Sequence

from exports.formats.safety import unneutralise
from exports.formats.sheetml.cells import CUT_MARKER
from leads.validators import storable_text_problem

MAX_REPORTED = 20  # problems named in one message; the rest are counted
_XLSX_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def decode_xlsx_text(text: str) -> str:
    """Decode ST_Xstring escapes: "_x0041_" is "A", "_x005F_x0041_" is a literal "_x0041_"."""
    if "_x" not in text:
        return text
    return _XLSX_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def imported_cells(cells: Sequence, *, format: str) -> list:
    """A row's cells as the values the export started from (see the module docstring)."""
    if format == "json":
        return list(cells)
    decode = format == "xlsx"
    result = []
    for cell in cells:
        if isinstance(cell, str):
            if decode:
                cell = decode_xlsx_text(cell)
            cell = unneutralise(cell)
        result.append(cell)
    return result


def cell_problems(cells: Sequence, *, headers: Sequence[str], number: int) -> list[str]:
    """Why each cell of lead row `number` cannot be imported, as "row 12, title: ..." sentences."""
    problems = []
    for header, cell in zip(headers, cells, strict=True):
        if not isinstance(cell, str):
            continue
        problem = storable_text_problem(cell)
        if problem is None and cell.endswith(CUT_MARKER):
            problem = (
                f"ends with “{CUT_MARKER.strip()}”: the export had to cut this cell, so importing it would "
                "overwrite the stored value; the stored value is kept (restore the whole text, or leave the column out)"
            )
        if problem is not None:
            problems.append(f"row {number}, {header}: {problem}")
    return problems


def problems_message(problems: Sequence[str]) -> str:
    """One message for the file: the first MAX_REPORTED problems, then how many more."""
    shown = "; ".join(problems[:MAX_REPORTED])
    more = len(problems) - MAX_REPORTED
    suffix = f"; and {more:,} more" if more > 0 else ""
    return f"The file was not imported: {shown}{suffix}. Fix these cells and import again."
