"""manage.py run_scheduled_exports: run the saved exports whose schedule is due, once or in a loop.

Each pass also e-mails the links of finished scheduled exports, marks dead running exports
failed, and cleans up old export files once a day. Several schedulers may run side by side:
each slot is claimed in the database, so none runs twice. With --loop the scheduler records a
heartbeat and, like the export workers, recovers lost and orphaned exports (operations app).
"""

import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from exports.services.scheduled import ScheduledPass, scheduled_exports_pass
from operations.models import WorkerKind
from operations.services.worker import HeartbeatThread

DEFAULT_INTERVAL = 60


class Command(BaseCommand):
    help = (
        "Run the saved exports whose schedule is due (once, or with --loop every --interval seconds "
        "beside the export worker), send their e-mails, and clean up old export files once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running; stop with Ctrl-C or SIGTERM.")
        parser.add_argument(
            "--interval",
            type=int,
            default=DEFAULT_INTERVAL,
            metavar="SECONDS",
            help=f"Seconds between passes with --loop (default {DEFAULT_INTERVAL}).",
        )

    def handle(self, *args, **options):
        interval = options["interval"]
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        if not options["loop"]:
            self._report(scheduled_exports_pass(), quiet=False)
            return
        self._loop(interval)

    def _loop(self, interval: int) -> None:
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
        self.stdout.write(f"Running scheduled exports every {interval} s; press Ctrl-C to stop.")
        heartbeat = HeartbeatThread(worker_id=f"scheduler-{get_random_string(22)}", kind=WorkerKind.SCHEDULER)
        heartbeat.start()
        try:
            while not stop.is_set():
                started = time.monotonic()
                self._pass()
                stop.wait(max(0.0, interval - (time.monotonic() - started)))
        except KeyboardInterrupt:
            pass
        finally:
            heartbeat.stop()
            signal.signal(signal.SIGTERM, previous)
        self.stdout.write("Scheduler stopped.")

    def _pass(self) -> None:
        # A long-running process must not keep a connection the database has dropped meanwhile.
        close_old_connections()
        try:
            self._report(scheduled_exports_pass(), quiet=True)
        except Exception as error:  # the database may be briefly away: report it and try again next pass
            self.stderr.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} Scheduler pass failed: {error}")
        finally:
            close_old_connections()

    def _report(self, result: ScheduledPass, *, quiet: bool) -> None:
        """One line per event; in the loop (`quiet`) a pass that did nothing prints nothing."""
        stamp = f"{timezone.localtime():%Y-%m-%d %H:%M:%S} "
        lines = []
        if not quiet and not result.exports and not result.failures:
            lines.append("No scheduled exports were due.")
        for export in result.exports:
            saved = export.saved_export.name if export.saved_export else "?"
            rows = f"{export.row_count:,} rows" if export.row_count is not None else "rows unknown"
            lines.append(
                f"Started {saved!r}: export {export.pk} ({export.get_format_display()}, {rows}) "
                f"is {export.get_status_display().lower()}."
            )
        for saved_export, message in result.failures:
            lines.append(f"Could not run {saved_export.name!r}: {message}")
        if result.notifications_sent:
            lines.append(f"Sent {result.notifications_sent} e-mail(s) about finished exports.")
        if result.stale_failed:
            lines.append(f"Marked {result.stale_failed} stale running export(s) failed.")
        if result.cleanup is not None:
            cleanup = result.cleanup
            lines.append(
                f"Daily cleanup: {cleanup.records_expired} export(s) expired, {cleanup.files_deleted} file(s) "
                f"deleted ({cleanup.bytes_freed:,} bytes), {cleanup.temp_files_removed} temporary file(s) removed."
            )
        for line in lines:
            (self.stderr if line.startswith("Could not") else self.stdout).write(stamp + line)
