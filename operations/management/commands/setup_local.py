"""manage.py setup_local: everything scripts/run does before serving, in one process.

Migrate (only when a migration is unapplied), the cache table, demo data when there is none, and
the demo logins when they are missing. Each step is a no-op when done already, so a restart
costs one Python start-up instead of one per step.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

DEFAULT_DEMO_LEADS = 5000


class Command(BaseCommand):
    help = "Prepare a local site in one go: migrate, create the cache table, load demo data and demo logins."
    requires_system_checks = []  # run once, below, after migrating

    def add_arguments(self, parser):
        parser.add_argument(
            "--leads", type=int, default=DEFAULT_DEMO_LEADS, help="Demo leads to load into an empty database."
        )

    def handle(self, *args, leads, verbosity, **options):
        if leads < 0:
            raise CommandError("--leads must be zero or more.")
        if _unapplied_migrations():
            self.stdout.write("==> Migrating the database")
            call_command("migrate", interactive=False, verbosity=verbosity, skip_checks=True)
        call_command("createcachetable", verbosity=verbosity)
        # The demo logins first: the demo rules share leads out among the Sales staff group.
        call_command("create_demo_users", verbosity=verbosity)
        call_command("seed_demo", leads=leads, if_empty=True, verbosity=verbosity)
        call_command("check", verbosity=verbosity)


def _unapplied_migrations() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
