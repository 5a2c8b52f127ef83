"""manage.py run_scheduled_rules: queue the scheduled rules whose slot is due (once, or every --interval seconds).

Each pass also prunes the rule outcome log when its interval is due (RULE_OUTCOME_PRUNE_SECONDS,
once per interval whichever scheduler gets there first), so the log never grows without bound.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from rules.services.retention import rule_outcomes_prune_due
from rules.services.scheduled import rules_run_due


class Command(BaseCommand):
    help = "Queue the hourly and daily rules whose slot is due (each slot runs once) and prune old rule outcomes."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, checking every --interval seconds.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks with --loop (>= 5).")

    def handle(self, *args, loop=False, interval=60, **options):
        if interval < 5:
            raise CommandError("--interval must be at least 5 seconds.")
        while True:
            queued = rules_run_due()
            for rule_id, slot in queued:
                self.stdout.write(f"Queued rule {rule_id} for {slot.isoformat()}")
            pruned = rule_outcomes_prune_due()
            if pruned is not None and pruned.deleted:
                self.stdout.write(f"Rolled {pruned.deleted} old rule outcome(s) into daily counts.")
            if not loop:
                if not queued:
                    self.stdout.write("No scheduled rule is due.")
                return
            time.sleep(interval)
