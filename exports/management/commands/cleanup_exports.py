"""manage.py cleanup_exports: delete old export files, keep their records (expired), fail dead exports."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from exports.services import exports_cleanup, exports_fail_stale
from leads.importing.records import lead_imports_cleanup


class Command(BaseCommand):
    help = (
        "Delete the files of completed and failed exports older than --days (EXPORT_CLEANUP_DAYS), mark their "
        "records expired, remove stray temporary files, and mark running exports whose worker died as failed. "
        "Pending and running exports are never touched. Also removes lead-import uploads whose preview was "
        "abandoned more than a day ago. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Older than this many days (default: EXPORT_CLEANUP_DAYS).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be done; change nothing.")

    def handle(self, *args, **options):
        days, dry_run = options["days"], options["dry_run"]
        if days is not None and days < 0:
            raise CommandError("--days must be zero or more.")
        result = exports_cleanup(days=days, dry_run=dry_run)
        stale = exports_fail_stale(dry_run=dry_run)
        previews = lead_imports_cleanup(dry_run=dry_run)
        size = filesizeformat(result.bytes_freed).replace("\xa0", " ")
        if dry_run:
            self.stdout.write(
                f"Dry run: would expire {result.records_expired} exports older than {result.days} days, deleting "
                f"{result.files_deleted} files ({size}); would remove {result.temp_files_removed} stray temporary "
                f"files and mark {stale} stale running exports failed; would remove {previews} import uploads "
                "older than a day."
            )
            return
        self.stdout.write(
            f"Expired {result.records_expired} exports older than {result.days} days, deleting "
            f"{result.files_deleted} files ({size}); removed {result.temp_files_removed} stray temporary files; "
            f"marked {stale} stale running exports failed; removed {previews} import uploads older than a day."
        )
