"""manage.py seed_demo: load realistic Craigslist demo leads (see leads.demo_data)."""

import argparse
import time

from django.core.management.base import BaseCommand

from leads.demo_data import DEFAULT_BATCH_SIZE, DEFAULT_SEED, default_run_count, demo_data_seed
from leads.demo_data.seeding import demo_data_settle
from leads.signals import demo_data_seeded

# Print a progress line at most this often, and always at the end.
PROGRESS_EVERY_SECONDS = 2.0


def _count(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


class Command(BaseCommand):
    help = (
        "Add realistic demo data: Craigslist sites, categories, scrape runs and leads. "
        "The same --seed gives the same data; times are relative to now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--leads", type=_count(0), required=True, help="Number of leads to create.")
        parser.add_argument(
            "--runs", type=_count(0), help="Number of scrape runs (default: one per 100 leads, at least one)."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default {DEFAULT_SEED}).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any lead already exists.")
        parser.add_argument(
            "--batch-size",
            type=_count(1),
            default=DEFAULT_BATCH_SIZE,
            help=f"Rows per bulk insert (default {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args, leads, runs, seed, if_empty, batch_size, **options):
        runs = default_run_count(leads) if runs is None else runs
        if not if_empty:
            self.stdout.write(f"Seeding {leads:,} leads and {runs:,} scrape runs (seed {seed})...")
        last_print = time.monotonic()

        def progress(done: int, total: int) -> None:
            nonlocal last_print
            if done == total or time.monotonic() - last_print >= PROGRESS_EVERY_SECONDS:
                last_print = time.monotonic()
                self.stdout.write(f"  {done:,} / {total:,} leads ({done * 100 // max(total, 1)}%)")

        result = demo_data_seed(
            leads=leads,
            runs=runs,
            seed=seed,
            batch_size=batch_size,
            if_empty=if_empty,
            on_progress=progress,
            on_message=self.stdout.write,
        )
        if result.skipped:
            count = result.existing_leads
            self.stdout.write(
                f"Demo data not loaded: {count:,} lead{'' if count == 1 else 's'} already exist (--if-empty)."
            )
            return
        demo_data_seeded.send(sender=self.__class__, seed=seed, on_message=self.stdout.write)
        demo_data_settle()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.leads:,} leads and {result.runs:,} scrape runs "
                f"({result.locations_created} new locations, {result.categories_created} new categories) "
                f"in {result.seconds:.1f} s."
            )
        )
