"""Benchmark: the outreach analytics (the dashboard's Outreach section and the performance sections)
over N auto-responses, and queueing N messages with auto_responses_queue.

Creates N leads with addresses at a bench location, queues a template for all of them (timed: the
rate of auto_responses_queue), marks them sent/replied in bulk, then times auto_response_analytics
(empty spec and a location spec) and ab_test_analytics. Everything it created is deleted afterwards.

Run (PostgreSQL bench database, see bench/README.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/leadsite_bench \\
        .venv/bin/python bench/outreach.py [--messages 100000]
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
    args = parser.parse_args()

    import django

    django.setup()
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
    try:
        Lead.objects.bulk_create(
            (
                Lead(location=location, category=category, source_post_id=f"bench-o-{n}", title=f"Bench {n}",
                     email=f"bench{n}@example.com")
                for n in range(args.messages)
            ),
            batch_size=5000,
        )  # fmt: skip
        ids = list(Lead.objects.filter(location=location).values_list("pk", flat=True))
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
        timed(
            "auto_responses section (one location)",
            lambda: auto_response_analytics(filters={"location_names": ["Bench outreach"]}),
        )
        timed("ab_tests section", ab_test_analytics)
    finally:
        AutoResponse.objects.filter(template=template).delete()
        template.delete()
        Lead.objects.filter(location=location).delete()


if __name__ == "__main__":
    main()
