"""Benchmark: importing a 100,000-row update-ready CSV (every row an update), rows/s and peak memory.

Targets (big imports): at least 5,000 rows/s on PostgreSQL and 3,000 rows/s on SQLite for a
100,000-row update-ready CSV, with memory flat in rows.

The machine's load is printed with each run: on a shared machine, wall-clock figures fall with
the load; CPU time does not: this process's (all of SQLite's work) plus, on PostgreSQL, the
server process's of this connection (read from /proc when the server runs on this machine).

What it does: makes sure the database holds at least --rows leads (seed_demo), writes the newest
--rows of them as an update-ready CSV (the export's own writer, contact columns included), changes
every row's status in the file (--change title: its title too; none: nothing) so each row is a real
update, then times
`leads.imports.lead_import` (check pass + write pass, all or nothing) on it. Memory is measured in a
second run under tracemalloc (which slows Python down, so it is not timed) at --rows and at a fifth
of it: "flat" means the two peaks are close.

Run:
    .venv/bin/python bench/imports.py [--rows 100000] [--repeat 2]                       # throw-away SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/leadsite_bench .venv/bin/python bench/imports.py
"""

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="leadsite-bench-imports-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--change",
        default="status",
        choices=["status", "title", "none"],
        help="What each row changes: its status (default), its title and status, or nothing (a plain re-import).",
    )
    parser.add_argument("--no-memory", action="store_true", help="Skip the tracemalloc runs.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from leads.models import Lead

    call_command("migrate", verbosity=0)
    if Lead.objects.count() < args.rows:
        call_command("seed_demo", leads=args.rows, verbosity=0)
    folder = Path(tempfile.mkdtemp(prefix="leadsite-bench-import-files-"))
    original = _export(args.rows)
    print(f"database: {connection.vendor}; file: {args.rows:,} update-ready rows, {len(original) / 1e6:.1f} MB")

    seconds = []
    for run in range(args.repeat):
        path = folder / f"run{run}.csv"
        path.write_bytes(_changed(original, tag=f"r{run}", change=args.change))
        started, cpu_started, db_started = time.perf_counter(), time.process_time(), _database_cpu()
        result = _import(path)
        seconds.append(time.perf_counter() - started)
        cpu = time.process_time() - cpu_started
        db_cpu = _database_cpu() - db_started
        expected = 0 if args.change == "none" else args.rows
        if not result.saved or result.updated != expected:
            sys.exit(f"The import did not update the rows it should have: {result}")
        print(
            f"run {run + 1}: {seconds[-1]:.2f} s, {args.rows / seconds[-1]:,.0f} rows/s ({result.updated:,} updated); "
            f"CPU: this process {cpu:.2f} s, the database server {db_cpu:.2f} s "
            f"({args.rows / (cpu + db_cpu):,.0f} rows per CPU second); load {os.getloadavg()[0]:.1f}"
        )
    best = min(seconds)
    print(f"best: {args.rows / best:,.0f} rows/s; median {args.rows / statistics.median(seconds):,.0f} rows/s")

    if not args.no_memory:
        small = max(args.rows // 5, 1)
        for rows, tag in ((small, "m-small"), (args.rows, "m-full")):
            path = folder / f"{tag}.csv"
            data = _changed(original, tag=tag, rows=rows, change=args.change)
            path.write_bytes(data)
            del data
            tracemalloc.start()
            result = _import(path)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"peak Python memory importing {rows:,} rows: {peak / 1e6:.1f} MB (saved={result.saved})")
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


_FILES_MADE: list[str] = []


def _export(rows: int) -> bytes:
    from exports.formats.registry import get_format
    from exports.models import Export
    from exports.services.writing import export_dataset

    # The export's own dataset and writer, without recording an export (the record is not saved).
    export = Export(format="csv", filters={"limit": rows}, include_contact_info=True, options={"update_ready": True})
    destination = io.BytesIO()
    get_format("csv").write(
        dataset=export_dataset(export=export), destination=destination, on_progress=lambda done: None
    )
    return destination.getvalue()


def _changed(data: bytes, *, tag: str, change: str, rows: int | None = None) -> bytes:
    """The file with every row's status moved on (and its title tagged), so every row is an update."""
    # Each file moves the status one step further than the one before, so every row changes again.
    _FILES_MADE.append(tag)
    shift = 1 + len(_FILES_MADE) % 4
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader)
    title, status = header.index("title"), header.index("status")
    statuses = ["new", "contacted", "qualified", "converted", "rejected"]
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for number, row in enumerate(reader):
        if rows is not None and number >= rows:
            break
        if change == "title":
            row[title] = f"{row[title][:280]} {tag}"
        if change != "none":
            row[status] = statuses[(statuses.index(row[status]) + shift) % len(statuses)]
        writer.writerow(row)
    return out.getvalue().encode()


def _database_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL server process, when it runs on this machine (else 0)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0  # SQLite works inside this process: its time is in time.process_time()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _import(path: Path):
    from leads.imports import lead_import

    return lead_import(file_path_or_bytes=path)


if __name__ == "__main__":
    main()
