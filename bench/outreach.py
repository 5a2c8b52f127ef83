"""Benchmark: the outreach analytics (the dashboard's Outreach section and the performance sections)
over N auto-responses, and queueing N messages with auto_responses_queue.

Creates N leads with addresses at a bench location (or, with --existing-leads, takes N existing
leads with an address, so a 1,000,000-lead database stays at 1,000,000), queues a template for all
of them (timed: the rate of auto_responses_queue), marks them sent/replied in bulk, then times
auto_response_analytics (empty spec and a location spec) and ab_test_analytics; with --dashboard
also the whole dashboard page (every section, outreach included) through Django's test client,
with the CPU time of this process and of its PostgreSQL backend and the load average.
Everything it created is deleted afterwards.

It writes to the database: run it against your own copy of the bench database, never the shared
one (it refuses `leadsite_bench`), e.g.

    createdb -h 127.0.0.1 -U postgres -T leadsite_bench ls_mine_1m
    psql -h 127.0.0.1 -U postgres ls_mine_1m -c "VACUUM ANALYZE"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ls_mine_1m \\
        .venv/bin/python bench/outreach.py [--messages 100000] [--existing-leads] [--dashboard] [--clear]

--clear first deletes the messages already there (the demo data's), so the run measures exactly N.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")
os.environ.setdefault("DEBUG", "true")


def timed(label: str, function, repeat: int = 3):
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    print(f"{label:<48} {best * 1000:>9.1f} ms (best of {repeat})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--existing-leads", action="store_true", help="message existing leads, create none")
    parser.add_argument("--dashboard", action="store_true", help="also time the whole dashboard page")
    parser.add_argument("--clear", action="store_true", help="delete every message first (demo data)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    if settings.DATABASES["default"].get("NAME") == "leadsite_bench":
        sys.exit("bench/outreach.py writes messages and leads: run it against your own copy, not leadsite_bench.")
    from django.db.models import F
    from django.utils import timezone

    from leads.models import Category, Lead, Location
    from outreach.analytics import ab_test_analytics, auto_response_analytics
    from outreach.models import AutoResponse, ResponseTemplate
    from outreach.services.queueing import auto_responses_queue

    location, _ = Location.objects.get_or_create(site_code="bench-outreach", defaults={"name": "Bench outreach"})
    category, _ = Category.objects.get_or_create(code="bench-outreach", defaults={"name": "Bench outreach"})
    template = ResponseTemplate.objects.create(
        name=f"Bench outreach {time.time()}", subject="About {title}", body_text="Hi"
    )
    if args.clear:
        print(f"deleted {AutoResponse.objects.all().delete()[0]:,} existing messages")
    try:
        if args.existing_leads:
            ids = list(Lead.objects.exclude(email="").order_by("pk").values_list("pk", flat=True)[: args.messages])
            place_filter = {"location_ids": [Lead.objects.get(pk=ids[0]).location_id]}
        else:
            Lead.objects.bulk_create(
                (
                    Lead(location=location, category=category, source_post_id=f"bench-o-{n}", title=f"Bench {n}",
                         email=f"bench{n}@example.com")
                    for n in range(args.messages)
                ),
                batch_size=5000,
            )  # fmt: skip
            ids = list(Lead.objects.filter(location=location).values_list("pk", flat=True))
            place_filter = {"location_names": ["Bench outreach"]}
        started = time.perf_counter()
        counts = auto_responses_queue(lead_ids=ids, template=template)
        seconds = time.perf_counter() - started
        print(f"queued {counts['queued']:,} messages in {seconds:.1f} s ({counts['queued'] / seconds:,.0f}/s)")
        now = timezone.now()
        AutoResponse.objects.filter(template=template).update(status="sent", sent_at=now, delivered_at=now)
        AutoResponse.objects.filter(template=template, lead_id__in=ids[::7]).update(
            status="replied", replied_at=F("sent_at")
        )
        print(f"{AutoResponse.objects.count():,} messages, {Lead.objects.count():,} leads in the database")
        timed("auto_responses section (no filters)", lambda: auto_response_analytics(filters={}))
        timed("auto_responses section (one location)", lambda: auto_response_analytics(filters=place_filter))
        timed("ab_tests section", ab_test_analytics)
        if args.dashboard:
            from dashboard_timing import dashboard_timed  # bench/dashboard_timing.py, beside this script

            for label, filters in (("no filter", {}), ("one location", place_filter)):
                print(dashboard_timed(label=f"dashboard page ({label})", filters=filters, repeat=args.repeat))
    finally:
        AutoResponse.objects.filter(template=template).delete()
        template.delete()
        Lead.objects.filter(location=location).delete()


if __name__ == "__main__":
    main()
