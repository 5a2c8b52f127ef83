"""manage.py db_worker: django-tasks-db's worker, made resilient (see operations.services.worker).

Same options as django-tasks-db's command; this app comes first in INSTALLED_APPS, so this one runs.
"""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from operations.services.worker import ResilientWorker


class Command(db_worker.Command):
    help = (
        "Run the background export worker: heartbeats, retries database errors with backoff, and exits "
        "non-zero when the database stays unusable (WORKER_DB_RETRY_SECONDS) so a supervisor restarts it."
    )

    def handle(self, *args, **options):
        # django-tasks-db's handle(), building our Worker instead of its own.
        self.configure_logging(options["verbosity"])
        reload = options["reload"]
        if reload and options["batch"]:
            self.stderr.write("--reload and --batch cannot be used together; autoreload is off.")
            reload = False
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if not reload:
            worker.configure_signals()
            worker.run()
            return
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            worker.configure_signals()  # only the reloader's child runs the worker
        run_with_reloader(worker.run)
