"""manage.py prune_task_results: delete finished task-queue rows older than TASK_RESULTS_KEEP_DAYS.

The workers and the scheduler do this about once an hour; this command does it now (e.g. from cron
where no worker runs). --keep-days overrides the setting; --dry-run only counts.
"""

from django.core.management.base import BaseCommand, CommandError

from operations.services.task_results import task_results_prunable, task_results_prune


class Command(BaseCommand):
    help = "Delete finished task-queue rows older than TASK_RESULTS_KEEP_DAYS days."

    def add_arguments(self, parser):
        parser.add_argument("--keep-days", type=int, help="Keep rows that finished within this many days.")
        parser.add_argument("--dry-run", action="store_true", help="Count the rows only.")

    def handle(self, *args, keep_days=None, dry_run=False, **options):
        if keep_days is not None and keep_days < 1:
            raise CommandError("--keep-days must be at least 1 (set TASK_RESULTS_KEEP_DAYS=0 to keep rows forever).")
        if dry_run:
            count = task_results_prunable(keep_days=keep_days).count()
            self.stdout.write(f"{count:,} finished task rows would be deleted.")
            return
        count = task_results_prune(keep_days=keep_days)
        self.stdout.write(f"{count:,} finished task rows deleted.")
