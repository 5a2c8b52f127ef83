"""Benchmark: duplicate grouping, the batch recompute (`find_duplicates`) and the incremental link of a batch.

Prints leads/s of `duplicates_find` over the whole table and seconds to link one batch of
--batch arrived leads (`duplicates_link`, what the leads_arrived task does), and the groups found.
The machine's load is printed too: on a shared machine wall-clock figures fall with it.

Run:
    .venv/bin/python bench/duplicates.py [--leads 10000] [--batch 1000]                       # throw-away SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/leadsite_bench .venv/bin/python bench/duplicates.py
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="leadsite-bench-duplicates-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from leads.duplicates.grouping import duplicates_find, duplicates_link
    from leads.models import DuplicateGroup, Lead

    call_command("migrate", verbosity=0)
    missing = args.leads - Lead.objects.count()
    if missing > 0:
        call_command("seed_demo", leads=missing, verbosity=0)
    total = Lead.objects.count()
    print(f"database: {connection.vendor}; {total:,} leads; load average {os.getloadavg()[0]:.1f}")

    started = time.perf_counter()
    result = duplicates_find()
    seconds = time.perf_counter() - started
    print(
        f"find_duplicates: {seconds:.1f} s, {total / seconds:,.0f} leads/s; "
        f"{result.groups:,} groups holding {result.grouped_leads:,} leads"
    )

    newest = list(Lead.objects.order_by("-scraped_at", "-pk").values_list("pk", flat=True)[: args.batch])
    started = time.perf_counter()
    touched = duplicates_link(lead_ids=newest)
    seconds = time.perf_counter() - started
    print(f"link a batch of {len(newest):,} arrived leads: {seconds:.2f} s ({touched:,} groups touched)")
    print(f"largest group: {DuplicateGroup.objects.order_by('-size').values_list('size', flat=True).first() or 0}")


if __name__ == "__main__":
    main()
