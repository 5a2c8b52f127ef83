"""Real spreadsheet programs as test readers: LibreOffice headless and gnumeric's ssconvert.

Each function converts files and returns what the program made of them; the tests compare that
with the database. Without the program a test is skipped, and fails under CI=true (tests.conftest).
LibreOffice runs with its own profile folder, so parallel runs never share (and lock) one.
"""

import csv
import gzip
import io
import re
import subprocess
from pathlib import Path

from tests.conftest import require_tool

# LibreOffice's CSV filter options: comma, double quote, UTF-8, from line 1, [column types], language,
# quote all text, detect special numbers, save as shown, formulas, trim spaces, sheet (1: the first).
_CSV_EXPORT = "44,34,76,1,,0,true,false,true,false,false,1"
TIMEOUT = 240


def _soffice(args: list[str], *, workdir: Path) -> None:
    soffice = require_tool("soffice", package="libreoffice-calc-nogui")
    profile = (workdir / "lo-profile").resolve().as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", *args]
    subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT, cwd=workdir)


def libreoffice_csv(paths: list[Path], *, workdir: Path, text_columns: int | None = None) -> dict[Path, list[list]]:
    """Each file's first sheet as LibreOffice shows it, written out as CSV and read back as rows.

    `text_columns`: read CSV input with that many columns typed as text (CSV has no types: a reader
    guesses, and "00123" would become the number 123).
    """
    out = workdir / "lo-csv"
    args = ["--convert-to", f"csv:Text - txt - csv (StarCalc):{_CSV_EXPORT}", "--outdir", str(out)]
    if text_columns:
        types = "/".join(f"{column}/2" for column in range(1, text_columns + 1))
        args = ["--infilter=CSV:44,34,76,1," + types + ",0,true,false", *args]
    _soffice([*args, *map(str, paths)], workdir=workdir)
    found = {}
    for path in paths:
        produced = sorted(out.glob(f"{path.stem}*.csv"))
        assert produced, f"LibreOffice wrote nothing for {path.name}"
        found[path] = list(csv.reader(io.StringIO(produced[0].read_bytes().decode("utf-8"), newline="")))
    return found


def libreoffice_resave(path: Path, *, workdir: Path) -> bytes:
    """The workbook as LibreOffice saves it again (a person opening an export, editing, saving)."""
    out = workdir / "lo-xlsx"
    _soffice(["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)], workdir=workdir)
    return (out / path.name).read_bytes()


def libreoffice_formula_cells(paths: list[Path], *, workdir: Path) -> dict[Path, list[str]]:
    """Each file converted to flat ODS with LibreOffice's default import; the formula of every formula cell."""
    out = workdir / "lo-fods"
    args = ["--convert-to", "fods", "--outdir", str(out)]
    if any(path.suffix == ".csv" for path in paths):
        args = ["--infilter=CSV:44,34,76,1", *args]  # the defaults a person opening the file gets
    _soffice([*args, *map(str, paths)], workdir=workdir)
    return {
        path: re.findall(r'table:formula="([^"]*)"', (out / f"{path.stem}.fods").read_text("utf-8")) for path in paths
    }


def _ssconvert(source: Path, target: Path, *args: str) -> None:
    ssconvert = require_tool("ssconvert", package="gnumeric")
    subprocess.run([ssconvert, *args, str(source), str(target)], check=True, capture_output=True, timeout=TIMEOUT)


def _import_type(path: Path) -> list[str]:
    # gnumeric guesses a file's type from its content, and takes a CSV full of control characters for binary.
    return ["--import-type=Gnumeric_stf:stf_csvtab"] if path.suffix == ".csv" else []


def gnumeric_csv(path: Path, *, workdir: Path) -> list[list]:
    """The (Leads) sheet as gnumeric reads it, exported as CSV (every field quoted) and read back as rows."""
    target = workdir / f"{path.stem}-{path.suffix[1:]}-gnumeric.csv"
    sheet = "" if path.suffix == ".csv" else " sheet=Leads"
    options = ["-O", f"separator=, quoting-mode=always eol=unix{sheet}", "--export-type=Gnumeric_stf:stf_assistant"]
    _ssconvert(path, target, *_import_type(path), *options)
    return list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8"), newline="")))


def gnumeric_formula_cells(path: Path, *, workdir: Path) -> list[str]:
    """The file in gnumeric's own XML; the content of every cell that is an expression (has no value type)."""
    target = workdir / f"{path.stem}-{path.suffix[1:]}-gnumeric.xml"
    _ssconvert(path, target, *_import_type(path), "--export-type=Gnumeric_XmlIO:sax")
    data = target.read_bytes()
    text = (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode("utf-8")
    cells = re.findall(r"<gnm:Cell ([^>]*)>([^<]*)</gnm:Cell>", text)
    return [content for attributes, content in cells if "ValueType=" not in attributes]
