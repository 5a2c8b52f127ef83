"""Benchmark: the rule engine acting on 100,000 new leads and queueing their messages.

Creates N leads at a bench location (with e-mail addresses), an active on-new-leads rule with
four actions (set status, round-robin assignment among a group, a tag, send a template), runs it
over the new ids as the `leads_arrived` task does, and prints leads/s and peak Python memory
(tracemalloc). Everything it created is deleted afterwards; the sending itself is not started.

Run (PostgreSQL bench database, see bench/README.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/leadsite_bench \\
        .venv/bin/python bench/rules.py [--leads 100000] [--batch 2000]
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")
os.environ.setdefault("DEBUG", "true")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000, help="RULE_BATCH_SIZE for the run")
    parser.add_argument("--no-send", action="store_true", help="leave the send-template action out (engine only)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from leads.models import Category, Lead, LeadNote, Location
    from outreach.models import AutoResponse, ResponseTemplate
    from rules.models import Rule, RuleAction, RuleActionKind, RuleTrigger
    from rules.services.engine import rule_execute

    settings.RULE_BATCH_SIZE = args.batch
    users = get_user_model().objects
    owner = users.filter(is_superuser=True).first() or users.get_or_create(username="bench-rules-owner")[0]
    location, _ = Location.objects.get_or_create(site_code="bench-rules", defaults={"name": "Bench rules"})
    category, _ = Category.objects.get_or_create(code="bench-rules", defaults={"name": "Bench rules"})
    group, _ = Group.objects.get_or_create(name="Bench rules team")
    members = [users.get_or_create(username=f"bench-rep-{number}")[0] for number in range(5)]
    group.user_set.add(*members)
    template = ResponseTemplate.objects.create(name="Bench rules", subject="About {title}", body_text="Hi")

    started = time.perf_counter()
    Lead.objects.filter(location=location).delete()  # a run cut short leaves its leads behind
    Lead.objects.bulk_create(
        (
            Lead(
                location=location,
                category=category,
                source_post_id=f"bench-rules-{number}",
                title=f"Bench lead {number}",
                email=f"bench{number}@example.com",
            )
            for number in range(args.leads)
        ),
        batch_size=5000,
    )
    ids = list(Lead.objects.filter(location=location).values_list("pk", flat=True))
    print(f"created {len(ids):,} leads in {time.perf_counter() - started:.1f} s ({connection.vendor})")

    rule = Rule.objects.create(
        name="Bench rule", owner=owner, is_active=True, trigger=RuleTrigger.NEW_LEADS, filters={"has_email": True}
    )
    actions = [
        {"kind": RuleActionKind.SET_STATUS, "status": "contacted"},
        {"kind": RuleActionKind.ASSIGN_ROUND_ROBIN, "group": group},
        {"kind": RuleActionKind.ADD_NOTE, "tag": "bench"},
    ]
    if not args.no_send:
        actions.append({"kind": RuleActionKind.SEND_TEMPLATE, "template": template})
    for position, action in enumerate(actions):
        RuleAction.objects.create(rule=rule, position=position, **action)
    try:
        tracemalloc.start()
        started = time.perf_counter()
        execution = rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=ids)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        queued = AutoResponse.objects.filter(rule_execution_id=execution.pk).count()
        print(
            f"rule run: {execution.leads_matched:,} matched, {execution.leads_acted:,} acted, "
            f"{execution.actions_done:,} actions, {queued:,} messages queued, {execution.errors} errors"
        )
        print(
            f"time {seconds:.1f} s = {execution.leads_matched / seconds:,.0f} leads/s; "
            f"peak Python memory {peak / 2**20:.1f} MiB"
        )
    finally:
        AutoResponse.objects.filter(template=template).delete()
        LeadNote.objects.filter(lead__location=location).delete()
        rule.delete()
        Lead.objects.filter(location=location).delete()
        template.delete()


if __name__ == "__main__":
    main()
