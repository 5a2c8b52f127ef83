"""Benchmark: `manage.py normalise_contacts` over every stored lead, rows/s and peak memory.

Target (clean contact data): 1,000,000 leads normalised "in minutes", memory bounded by the
batch size, not by the table.

What it does: makes sure the database holds at least --rows leads (seed_demo), puts every lead back
to "not checked yet" with its contacts as posted (what the data migration leaves: e-mail and phone
as the post said, `*_as_posted` copied), then times `leads.contact_backfill.leads_contacts_normalise`
(the command's service) over them, printing the command's progress lines ("everything needs
rewriting"). Then the already-normalised case twice: the command run again (only unchecked leads,
none left) and with `--all` (every lead read and checked again; nothing differs, nothing written).
The peak resident memory of this process (ru_maxrss) is printed before and after: the difference is what the run added.
The machine's load is printed too: on a shared machine wall-clock figures fall with the load.

Run (use a database of your own: the script rewrites every lead's contact fields):
    .venv/bin/python bench/normalise.py [--rows 100000]                                   # throw-away SQLite
    createdb -h 127.0.0.1 -U postgres ls_contacts_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ls_contacts_bench .venv/bin/python bench/normalise.py --rows 1000000
"""

import argparse
import os
import resource
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
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="leadsite-bench-normalise-"))


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=2_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F, Value

    from leads import contact_normalisation
    from leads.contact_backfill import leads_contacts_normalise
    from leads.management.commands.normalise_contacts import progress_line
    from leads.models import Lead

    call_command("migrate", verbosity=0)
    stored = Lead.objects.count()
    if stored < args.rows:
        print(f"Seeding {args.rows - stored:,} leads ...", flush=True)
        started = time.monotonic()
        call_command("seed_demo", leads=args.rows - stored, seed=stored + 1, verbosity=0)
        print(f"  seeded in {time.monotonic() - started:.0f} s", flush=True)
    total = Lead.objects.count()

    print("Putting every lead back to its posted contacts, not checked yet ...", flush=True)
    started = time.monotonic()
    Lead.objects.filter(contact_extracted=True).update(email="", phone="", email_as_posted="", phone_as_posted="")
    Lead.objects.update(
        email=F("email_as_posted"),
        phone=F("phone_as_posted"),
        contact_quality=Value("pending"),
        contact_extracted=False,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE leads_lead")
    print(f"  reset in {time.monotonic() - started:.0f} s", flush=True)

    # A cold start: nothing checked in this process yet (the seed filled the normalisation caches).
    contact_normalisation._normalised_email.cache_clear()
    contact_normalisation._normalised_phone.cache_clear()
    memory_before = _peak_mib()
    started = last = time.monotonic()

    def report(progress) -> None:
        nonlocal last
        if time.monotonic() - last >= 10 or progress.done >= progress.total:
            last = time.monotonic()
            print("  " + progress_line(progress, seconds=last - started), flush=True)

    cpu_started = time.process_time()
    print(f"normalising; load {os.getloadavg()[0]:.1f}", flush=True)
    result = leads_contacts_normalise(batch_size=args.batch_size, on_batch=report)
    seconds = time.monotonic() - started
    cpu = time.process_time() - cpu_started
    print(
        f"{connection.vendor}: {result.done:,} of {total:,} leads checked ({result.changed:,} changed) in "
        f"{seconds:.1f} s = {result.done / seconds:,.0f} rows/s wall, {result.done / cpu:,.0f} rows per CPU second "
        f"of this process; batch {args.batch_size:,}; load {os.getloadavg()[0]:.1f}"
    )
    print(f"peak memory of this process: {memory_before:.0f} MiB before the run, {_peak_mib():.0f} MiB after")

    # Already normalised: running the command again (only unchecked leads: none left), then
    # `--all` (every lead read and checked again, none written since nothing changed).
    for recheck_all in (False, True):
        started, cpu_started = time.monotonic(), time.process_time()
        result = leads_contacts_normalise(batch_size=args.batch_size, recheck_all=recheck_all)
        seconds, cpu = time.monotonic() - started, time.process_time() - cpu_started
        print(
            f"re-run{' --all' if recheck_all else ''}: {result.done:,} leads checked ({result.changed:,} changed) in "
            f"{seconds:.1f} s = {result.done / seconds:,.0f} rows/s wall, {cpu:.1f} s CPU of this process; "
            f"load {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
