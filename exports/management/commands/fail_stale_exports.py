"""manage.py fail_stale_exports: mark running exports whose worker stopped responding as failed."""

from django.core.management.base import BaseCommand, CommandError

from exports.services import exports_fail_stale


class Command(BaseCommand):
    help = "Mark running exports without a heartbeat for --timeout seconds (EXPORT_STALE_SECONDS) as failed."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=int, metavar="SECONDS", help="Default: EXPORT_STALE_SECONDS.")
        parser.add_argument("--dry-run", action="store_true", help="Only count them.")

    def handle(self, *args, **options):
        timeout = options["timeout"]
        if timeout is not None and timeout < 0:
            raise CommandError("--timeout must be zero or more.")
        count = exports_fail_stale(timeout_seconds=timeout, dry_run=options["dry_run"])
        verb = "would be marked" if options["dry_run"] else "marked"
        self.stdout.write(f"{count} stale running exports {verb} failed.")
