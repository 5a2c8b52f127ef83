"""Demo rules for `manage.py seed_demo`: a few rules, their runs on the demo leads, and schedule runs."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from leads.demo_users import SALES_STAFF
from leads.models import LeadStatus
from operations.models import ScheduleExecution, ScheduleOutcome
from rules.models import Rule, RuleAction, RuleActionKind, RuleTrigger
from rules.services.engine import rule_execute

DEMO_RULES = (
    ("Tag furniture with e-mail", {"categories": ["fuo"], "has_email": True}, RuleTrigger.NEW_LEADS,
     [{"kind": RuleActionKind.ADD_NOTE, "tag": "furniture", "note": "Furniture lead with an address"}]),
    ("Qualify pricey leads", {"min_price": "1000"}, RuleTrigger.DAILY,
     [{"kind": RuleActionKind.SET_STATUS, "status": LeadStatus.QUALIFIED}]),
    ("Share out new leads", {"status": ["new"], "has_email": True}, RuleTrigger.HOURLY,
     [{"kind": RuleActionKind.ASSIGN_ROUND_ROBIN}]),
)  # fmt: skip


def rules_demo_seed(sender=None, *, seed: int = 1, on_message=None, **kwargs) -> None:
    """Create the demo rules once (by name), run them by hand, and record a week of schedule runs."""
    owner = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if owner is None:
        owner, _ = get_user_model().objects.get_or_create(username="demo-rules", defaults={"is_staff": True})
    # The demo roles' group (create_demo_users); the seed never makes or fills a group itself, since
    # create_demo_users sets a group's permissions only when it creates it.
    group = Group.objects.filter(name=SALES_STAFF, user__isnull=False).order_by("pk").first()
    made = 0
    for name, filters, trigger, actions in DEMO_RULES:
        if group is None and any(action["kind"] == RuleActionKind.ASSIGN_ROUND_ROBIN for action in actions):
            continue  # nobody to share leads out to yet
        rule, created = Rule.objects.get_or_create(
            name=name,
            defaults={"owner": owner, "filters": filters, "trigger": trigger, "is_active": True,
                      "run_time": datetime.time(7, 0) if trigger == RuleTrigger.DAILY else datetime.time(0, 5)},
        )  # fmt: skip
        if not created:
            continue
        for position, action in enumerate(actions):
            extra = {"group": group} if action["kind"] == RuleActionKind.ASSIGN_ROUND_ROBIN else {}
            RuleAction.objects.create(rule=rule, position=position, **action, **extra)
        rule_execute(rule=rule, trigger=RuleTrigger.MANUAL)
        made += 1
    _schedule_runs(seed)
    if on_message is not None:
        on_message(f"Demo rules: {made} new rule(s), with their runs and a week of schedule runs.")


def _schedule_runs(seed: int) -> None:
    generator = random.Random(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    jobs = [("rule", rule.pk, rule.name) for rule in Rule.objects.filter(trigger=RuleTrigger.DAILY)]
    jobs.append(("export", 0, "Demo nightly export"))
    rows = []
    for kind, job_id, name in jobs:
        for days in range(7, 0, -1):
            slot = now - datetime.timedelta(days=days)
            lateness = generator.choice([2, 5, 8, 12, 30, 420, 900])
            failed = generator.random() < 0.1
            started = slot + datetime.timedelta(seconds=lateness)
            rows.append(
                ScheduleExecution(
                    job_kind=kind, job_id=job_id, job_name=name, slot=slot, started_at=started,
                    finished_at=started + datetime.timedelta(seconds=generator.uniform(0.5, 40)),
                    lateness_seconds=lateness, late=lateness > 300,
                    outcome=ScheduleOutcome.FAILED if failed else ScheduleOutcome.SUCCESS,
                    error="Storage unavailable" if failed else "",
                )
            )  # fmt: skip
    ScheduleExecution.objects.bulk_create(rows, ignore_conflicts=True)
