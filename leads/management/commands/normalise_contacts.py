"""manage.py normalise_contacts: normalise the e-mail addresses and phone numbers of stored leads."""

import argparse
import time

from django.core.management.base import BaseCommand, CommandError

from leads.contact_backfill import DEFAULT_BATCH_SIZE, BackfillProgress, leads_contacts_normalise

# Print a progress line at most this often, and always at the end.
PROGRESS_EVERY_SECONDS = 2.0
BAR_WIDTH = 30


def _whole_number(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def progress_line(progress: BackfillProgress, *, seconds: float) -> str:
    """`[#######-------]  45%  450,000 / 1,000,000 leads  8,120 rows/s  last id 450123`."""
    share = progress.done / progress.total if progress.total else 1.0
    filled = min(BAR_WIDTH, int(share * BAR_WIDTH))
    rate = progress.done / seconds if seconds > 0 else 0.0
    return (
        f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {min(share, 1.0):4.0%}  "
        f"{progress.done:,} / {progress.total:,} leads  {rate:,.0f} rows/s  last id {progress.last_id}"
    )


class Command(BaseCommand):
    help = (
        "Normalise the contacts of stored leads (E.164 phones, e-mail domains lower-cased, quality, "
        "contacts found in the text), in batches. By default only leads not checked yet; stopping and "
        "running it again resumes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=_whole_number(1),
            default=DEFAULT_BATCH_SIZE,
            help=f"Leads per batch, each its own transaction (default {DEFAULT_BATCH_SIZE:,}).",
        )
        parser.add_argument(
            "--all", action="store_true", dest="recheck_all", help="Check every lead again, not only unchecked ones."
        )
        parser.add_argument(
            "--after-id",
            type=_whole_number(0),
            default=0,
            help="Start after this lead id (to resume an --all run from the last id it printed).",
        )

    def handle(self, *args, batch_size, recheck_all, after_id, **options):
        started = last_print = time.monotonic()
        verbosity = options.get("verbosity", 1)

        def report(progress: BackfillProgress) -> None:
            nonlocal last_print
            now = time.monotonic()
            if verbosity >= 1 and (progress.done >= progress.total or now - last_print >= PROGRESS_EVERY_SECONDS):
                last_print = now
                self.stdout.write(progress_line(progress, seconds=now - started))

        try:
            result = leads_contacts_normalise(
                batch_size=batch_size, recheck_all=recheck_all, after_id=after_id, on_batch=report
            )
        except KeyboardInterrupt:
            raise CommandError(
                "Stopped. The batches written so far are kept; run the command again to go on"
                + (" (with --all --after-id and the last id printed)." if recheck_all else ".")
            ) from None
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Checked {result.done:,} leads, {result.changed:,} changed, in {seconds:.1f} s "
                f"({result.done / seconds if seconds else 0:,.0f} rows/s)."
            )
        )
