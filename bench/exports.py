"""Benchmark: export speed and memory, side by side with django-import-export, on PostgreSQL.

Targets (speed and memory), for the same rows and columns:
    CSV    at least 4x faster than import-export's CSV
    Excel  at least 2.5x faster than import-export's XLSX (with all of Leadsite's formatting)
    JSON   streamed, at least 1.5x faster than json.dumps of the whole list
    Memory peak RSS of a 1,000,000-lead export at most 150 MB in every format, and within 20%
           of the figure at 100,000 (flat, not growing with rows)

Run against the seeded bench database (see bench/changelist.py for seeding 1,000,000 leads):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/leadsite_bench .venv/bin/python bench/exports.py

Options: --rows 100000 1000000 (sizes; a `limit` filter, newest leads first, or no filter when
the size is every lead), --ie-max-rows N (largest size import-export is run at; default 100000,
as it needs gigabytes beyond), --only csv,csv-portable,excel,json,zip (Leadsite formats; "csv" is
the COPY-backed path PostgreSQL uses by default, "csv-portable" the Python path of every
database), --no-baselines, --repeat N (each export N times, the fastest time counts: use it on a
busy machine).

Baselines: import-export (below); for JSON, "json.dumps of the whole list": the same document
(same fields, nested location and category) built as one list of dicts from Django's values(),
then the standard library's json.dumps.

Every measured export runs in a fresh subprocess (so peak RSS is that export's alone, read from
ru_maxrss) and writes a real file. Columns: Leadsite's 14 default columns, contact info
included; import-export gets a ModelResource over the same fields with select_related, the way
its admin export action builds it, and encodes with tablib. Also printed for reference:
PostgreSQL's own COPY ... TO STDOUT (CSV), the practical limit.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/leadsite_bench")

# "csv" is the COPY-backed path PostgreSQL gets by default; "csv-portable" the Python path every database uses.
LEADSITE_FORMATS = ("csv", "csv-portable", "excel", "json", "zip")
MEMORY_LIMIT_MB = 150
TARGETS = [  # (ours, baseline, target ratio, what the target is)
    ("csv-portable", "ie-csv", 4.0, "target"),
    ("csv", "ie-csv", 10.0, "stretch, COPY"),
    ("excel", "ie-xlsx", 2.5, "target"),
    ("json", "json-dumps", 1.5, "target"),
]


# --- child side: one measured export per process -------------------------------------------------


def _setup():
    import django

    django.setup()


_SPECS: dict[int, dict] = {}


def _spec(rows: int) -> dict:
    """The newest `rows` leads; every lead (no filter at all) when that is all of them. Asked once, before timing."""
    if rows not in _SPECS:
        from leads.models import Lead

        _SPECS[rows] = {} if rows >= Lead.objects.count() else {"limit": rows}
    return _SPECS[rows]


def _columns():
    from exports.content.columns import columns_resolve

    return columns_resolve(keys=None, include_contact_info=True)


def run_leadsite(kind: str, rows: int, path: Path) -> int:
    from django.conf import settings
    from django.utils import timezone

    from exports.datasets.base import ExportContext
    from exports.datasets.leads import LeadsDataset
    from exports.formats.registry import get_format

    if kind == "csv-portable":
        settings.EXPORT_CSV_COPY = False
        kind = "csv"

    context = ExportContext(
        filters=_spec(rows),
        columns=tuple(column.key for column in _columns()),
        generated_by="bench",
        generated_at=timezone.now(),
        include_contact_info=True,
    )
    dataset = LeadsDataset(context=context)
    with path.open("wb") as destination:
        return get_format(kind).write(dataset=dataset, destination=destination, on_progress=lambda count: None)


def _import_export_resource():
    from import_export import fields, resources

    from exports.content.columns import DEFAULT_COLUMN_KEYS
    from leads.models import Lead

    class LeadResource(resources.ModelResource):
        location = fields.Field(attribute="location__name", column_name="Location")
        category = fields.Field(attribute="category__name", column_name="Category")

        class Meta:
            model = Lead
            # The same columns, in the same order, as Leadsite's default export.
            fields = DEFAULT_COLUMN_KEYS
            export_order = fields

    return LeadResource()


def run_import_export(kind: str, rows: int, path: Path) -> int:
    from import_export.formats.base_formats import CSV, XLSX

    from leads.selectors import lead_list

    # What the admin's export action does: the changelist queryset with select_related, exported
    # through a ModelResource into a tablib Dataset, then encoded.
    queryset = lead_list(filters=_spec(rows)).select_related("location", "category")
    dataset = _import_export_resource().export(queryset=queryset)
    export_format = CSV() if kind == "ie-csv" else XLSX()
    data = export_format.export_data(dataset)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return len(dataset)


def run_json_dumps(rows: int, path: Path) -> int:
    """The non-streamed baseline: the same document built as one list (Django's values()), then json.dumps."""
    from leads.selectors import lead_list

    spec = _spec(rows)
    fields = [
        *("id", "source_post_id", "title", "description", "price", "status", "url"),
        *("contact_name", "email", "phone", "posted_at", "scraped_at"),
        *("location_id", "location__name", "location__site_code", "location__region"),
        *("category_id", "category__name", "category__code"),
    ]
    leads = []
    for row in lead_list(filters=spec).values(*fields):
        row["location"] = {
            "id": row.pop("location_id"),
            "name": row.pop("location__name"),
            "site_code": row.pop("location__site_code"),
            "region": row.pop("location__region"),
        }
        row["category"] = {
            "id": row.pop("category_id"),
            "name": row.pop("category__name"),
            "code": row.pop("category__code"),
        }
        leads.append(row)
    document = {"metadata": {"count": len(leads), "filters": spec}, "leads": leads}
    path.write_text(json.dumps(document, default=str))
    return len(leads)


def run_copy(rows: int, path: Path) -> int:
    """PostgreSQL's COPY of the same columns: the practical limit (no labels, zones or neutralising)."""
    from django.db import connection

    limit = f"LIMIT {int(rows)}" if _spec(rows) else ""
    sql = (
        "COPY (SELECT l.id, l.source_post_id, l.title, l.description, l.price, l.status, lo.name, c.name, l.url, "
        "l.contact_name, l.email, l.phone, l.posted_at, l.scraped_at FROM leads_lead l "
        "JOIN leads_location lo ON lo.id = l.location_id JOIN leads_category c ON c.id = l.category_id "
        f"ORDER BY l.scraped_at DESC, l.id DESC {limit}) TO STDOUT WITH CSV HEADER"
    )
    count = -1
    with connection.cursor() as cursor, path.open("wb") as destination, cursor.cursor.copy(sql) as copy:
        for chunk in copy:
            count += bytes(chunk).count(b"\n")
            destination.write(chunk)
    return count


def child(kind: str, rows: int) -> None:
    _setup()
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        path = Path(folder) / f"out-{kind}"
        _spec(rows)  # the count it takes is not part of the export
        started = time.perf_counter()
        if kind in LEADSITE_FORMATS:
            written = run_leadsite(kind, rows, path)
        elif kind in ("ie-csv", "ie-xlsx"):
            written = run_import_export(kind, rows, path)
        elif kind == "json-dumps":
            written = run_json_dumps(rows, path)
        elif kind == "copy":
            written = run_copy(rows, path)
        else:
            raise SystemExit(f"Unknown kind {kind!r}.")
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(json.dumps({"kind": kind, "rows": written, "seconds": seconds, "bytes": size, "peak_mb": peak_mb}))


# --- parent side: run each export in a fresh process and compare ----------------------------------


def measure(kind: str, rows: int, repeat: int = 1) -> dict:
    """Run one export `repeat` times, each in a fresh process; keep the fastest time and the largest peak."""
    runs = [_measure_once(kind, rows) for _ in range(repeat)]
    result = min(runs, key=lambda run: run["seconds"])
    result = {**result, "peak_mb": max(run["peak_mb"] for run in runs)}
    times = ", ".join(f"{run['seconds']:.2f}" for run in runs)
    print(
        f"  {kind:<11} {result['rows']:>9,} rows {result['seconds']:8.2f} s "
        f"{result['bytes'] / 2**20:9.1f} MB file  peak RSS {result['peak_mb']:7.1f} MB"
        + (f"  (runs: {times} s)" if repeat > 1 else ""),
        flush=True,
    )
    return result


def _measure_once(kind: str, rows: int) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--rows", str(rows)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    if completed.returncode != 0:
        print(completed.stderr, file=sys.stderr)
        raise SystemExit(f"The {kind} export of {rows:,} rows failed (exit {completed.returncode}).")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--ie-max-rows", type=int, default=100_000)
    parser.add_argument("--only", default=",".join(LEADSITE_FORMATS))
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs per export; the fastest counts (noisy machines)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows[0])
        return

    _setup()
    from leads.models import Lead

    available = Lead.objects.count()
    formats = [name for name in args.only.split(",") if name]
    print(f"Export benchmark on {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}: {available:,} leads available")
    results: dict[tuple[str, int], dict] = {}
    for rows in args.rows:
        if rows > available:
            print(f"Skipping {rows:,} rows: only {available:,} leads in the database.")
            continue
        print(f"\n{rows:,} leads")
        for kind in formats:
            results[kind, rows] = measure(kind, rows, args.repeat)
        if args.no_baselines:
            continue
        for kind in ("ie-csv", "ie-xlsx"):
            wanted = {"csv", "csv-portable"} if kind == "ie-csv" else {"excel"}
            if rows <= args.ie_max_rows and wanted & set(formats):
                results[kind, rows] = measure(kind, rows, args.repeat)
        if "json" in formats:
            results["json-dumps", rows] = measure("json-dumps", rows, args.repeat)
        results["copy", rows] = measure("copy", rows, args.repeat)

    print("\nSpeed (ratio = baseline seconds / Leadsite seconds)")
    for rows in args.rows:
        for name, baseline, target, meaning in TARGETS:
            ours, theirs = results.get((name, rows)), results.get((baseline, rows))
            if not ours or not theirs:
                continue
            ratio = theirs["seconds"] / ours["seconds"]
            verdict = "ok" if ratio >= target else "BELOW TARGET"
            print(
                f"  {rows:>9,} {name:<12} {ours['seconds']:7.2f} s vs {baseline:<10} {theirs['seconds']:7.2f} s: "
                f"{ratio:5.2f}x ({meaning} {target}x) {verdict}"
            )
        ours, copy = results.get(("csv", rows)), results.get(("copy", rows))
        if ours and copy:
            faster = ours["seconds"] / copy["seconds"]
            print(f"  {rows:>9,} csv    vs PostgreSQL COPY {copy['seconds']:.2f} s: COPY is {faster:.1f}x faster")

    print(f"\nPeak RSS (target: at most {MEMORY_LIMIT_MB} MB, and flat: within 20% of the smallest size)")
    sizes = sorted(rows for rows in args.rows if any((kind, rows) in results for kind in formats))
    for kind in formats:
        figures = [(rows, results[kind, rows]["peak_mb"]) for rows in sizes if (kind, rows) in results]
        if not figures:
            continue
        base = figures[0][1]
        line = "  ".join(f"{rows:,}: {peak:.1f} MB" for rows, peak in figures)
        over = [peak for _, peak in figures if peak > MEMORY_LIMIT_MB]
        growth = max(peak for _, peak in figures) / base - 1
        verdict = "ok" if not over and growth <= 0.20 else "BELOW TARGET"
        print(f"  {kind:<12} {line}  growth {growth:+.0%} {verdict}")
    for kind in ("ie-csv", "ie-xlsx", "json-dumps"):
        figures = [(rows, results[kind, rows]["peak_mb"]) for rows in sizes if (kind, rows) in results]
        if figures:
            print(f"  {kind:<10} " + "  ".join(f"{rows:,}: {peak:.1f} MB" for rows, peak in figures) + " (baseline)")


if __name__ == "__main__":
    main()
