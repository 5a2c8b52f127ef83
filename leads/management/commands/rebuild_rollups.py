"""manage.py rebuild_rollups: recompute every daily lead rollup, and the rollups that follow them, from the rows."""

from django.core.management.base import BaseCommand, CommandError

from leads.rollups import rollups_refresh, rollups_supported
from leads.rollups.followers import rollup_followers


class Command(BaseCommand):
    help = (
        "Rebuild the daily lead rollups the dashboard and the analytics API read, from every lead, "
        "and the rollups that follow them (the message rollups). "
        "With --changed, only recompute what changed since the last refresh."
    )

    def add_arguments(self, parser):
        parser.add_argument("--changed", action="store_true", help="Only refresh the leads changed since last time.")

    def handle(self, *args, changed: bool, **options):
        if not rollups_supported():
            raise CommandError("Rollups need PostgreSQL or SQLite; this database answers from the leads directly.")
        result = rollups_refresh(rebuild=not changed)
        what = "Rebuilt" if result.rebuilt else f"Refreshed {result.keys:,} changed day(s) of"
        message = f"{what} the lead rollups: {result.cells:,} cells in {result.seconds:.1f} s"
        followers = ", ".join(follower.name for follower in rollup_followers())
        self.stdout.write(self.style.SUCCESS(message + (f" (with {followers})." if followers else ".")))
