"""Benchmark: the rule engine acting on 100,000 new leads and queueing their messages.

Creates N leads at a bench location (with e-mail addresses, a few of them on the do-not-contact
list), an active on-new-leads rule with four actions (set status, round-robin assignment among a
group of 5, a tag, send a template), runs it over the new ids as the `leads_arrived` task does,
and prints leads/s (wall), the CPU seconds of this process and, on PostgreSQL, of its server
process (read from /proc), and the load average.

Memory, measured apart because tracemalloc slows Python down: the same run (another rule with its
own template, over the same leads) under tracemalloc, over the first half of the leads and over all
of them. The engine's own memory is bounded by the batch (RULE_BATCH_SIZE); what grows besides is
the process-wide cache of normalised addresses (`leads.contact_normalisation`, bounded at 50,000
entries, about 10 MiB when full), whose size is printed. `--no-memory` skips these runs.

The script runs with DEBUG off, as the worker does in production (DEBUG on keeps and formats every
SQL statement). Everything it created is deleted afterwards; the sending itself is not started.

Run (your own database: it writes leads):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ls_<name> \\
        .venv/bin/python bench/rules.py [--leads 100000] [--batch 2000] [--no-send] [--no-memory]
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ["DEBUG"] = "false"

SUPPRESSED_EVERY = 50  # one lead in 50 has an address on the do-not-contact list


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000, help="RULE_BATCH_SIZE for the run")
    parser.add_argument("--no-send", action="store_true", help="leave the send-template action out (engine only)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    args = parser.parse_args()
    if args.leads < 1 or args.batch < 1:
        parser.error("--leads and --batch must be at least 1")

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from leads.models import Category, Lead, Location
    from leads.suppression import suppress_keys
    from leads.suppression_models import SuppressionReason
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

    started = time.perf_counter()
    _cleanup(location=location)  # a run cut short leaves its leads behind
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
    ids = list(Lead.objects.filter(location=location).order_by("pk").values_list("pk", flat=True))
    suppress_keys(_suppressed_keys(args.leads), reason=SuppressionReason.OPTED_OUT)
    print(f"created {len(ids):,} leads in {time.perf_counter() - started:.1f} s ({connection.vendor})")

    def rule_with_actions(name: str) -> Rule:
        rule = Rule.objects.create(
            name=name, owner=owner, is_active=True, trigger=RuleTrigger.NEW_LEADS, filters={"has_email": True}
        )
        actions = [
            {"kind": RuleActionKind.SET_STATUS, "status": "contacted"},
            {"kind": RuleActionKind.ASSIGN_ROUND_ROBIN, "group": group},
            {"kind": RuleActionKind.ADD_NOTE, "tag": "bench"},
        ]
        if not args.no_send:
            template = ResponseTemplate.objects.create(name=name, subject="About {title}", body_text="Hi")
            actions.append({"kind": RuleActionKind.SEND_TEMPLATE, "template": template})
        for position, action in enumerate(actions):
            RuleAction.objects.create(rule=rule, position=position, **action)
        return rule

    try:
        rule = rule_with_actions("Bench rules")
        server = _server_pid(connection)
        rss_before = _peak_rss_mib()
        server_before, cpu_before, started = _cpu(server), time.process_time(), time.perf_counter()
        execution = rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=ids)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_before
        server_cpu = _cpu(server) - server_before
        queued = AutoResponse.objects.filter(rule_execution_id=execution.pk).count()
        print(
            f"rule run: {execution.leads_matched:,} matched, {execution.leads_acted:,} acted, "
            f"{execution.actions_done:,} actions, {queued:,} messages queued, {execution.skipped:,} skipped, "
            f"{execution.errors} errors (batch {args.batch:,})"
        )
        print(
            f"wall {seconds:.1f} s = {execution.leads_matched / seconds:,.0f} leads/s; CPU {cpu:.1f} s in Python"
            + (f" + {server_cpu:.1f} s in the PostgreSQL server process" if server else "")
            + f"; peak RSS {rss_before:.0f} MiB before, {_peak_rss_mib():.0f} MiB after; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        if not args.no_memory:
            for share, part in (("half", ids[: max(1, len(ids) // 2)]), ("all", ids)):
                tracemalloc.start()
                rule_execute(
                    rule=rule_with_actions(f"Bench rules memory {share}"), trigger=RuleTrigger.NEW_LEADS, lead_ids=part
                )
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                print(f"peak Python memory (tracemalloc), {share} of the leads ({len(part):,}): {peak / 2**20:.1f} MiB")
    finally:
        _cleanup(location=location)


def _suppressed_keys(leads: int) -> list[tuple[str, str]]:
    from leads.contact_keys import email_key
    from leads.suppression_models import SuppressionKind

    return [
        (SuppressionKind.EMAIL, email_key(f"bench{number}@example.com")) for number in range(0, leads, SUPPRESSED_EVERY)
    ]


def _cleanup(*, location) -> None:
    from leads.models import Lead, LeadNote
    from leads.suppression_models import Suppression
    from outreach.models import AutoResponse, ResponseTemplate
    from rules.models import Rule

    rules = Rule.objects.filter(name__startswith="Bench rules")
    templates = ResponseTemplate.objects.filter(name__startswith="Bench rules")
    AutoResponse.objects.filter(template__in=templates).delete()
    LeadNote.objects.filter(lead__location=location).delete()
    rules.delete()
    templates.delete()
    keys = [key for _, key in _suppressed_keys(Lead.objects.filter(location=location).count())]
    Suppression.objects.filter(key__in=keys).delete()
    Lead.objects.filter(location=location).delete()


def _server_pid(connection) -> int | None:
    """The PostgreSQL server process serving this connection, when it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def _cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


if __name__ == "__main__":
    main()
