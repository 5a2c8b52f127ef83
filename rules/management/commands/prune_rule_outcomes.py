"""manage.py prune_rule_outcomes: roll per-lead rule outcomes past their retention up by day, then delete them."""

from django.core.management.base import BaseCommand

from rules import conf
from rules.services.retention import rule_outcomes_prune


class Command(BaseCommand):
    help = "Roll up per-lead rule outcomes older than RULE_OUTCOME_RETENTION_DAYS into daily counts."

    def handle(self, *args, **options):
        result = rule_outcomes_prune()
        self.stdout.write(
            f"Rolled {result.deleted} outcome(s) older than {conf.outcome_retention_days()} days "
            f"into {result.rollups} daily count(s)."
        )
