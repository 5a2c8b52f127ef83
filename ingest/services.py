"""Scrapers, keys and scrape runs: open a run, finish it (its counts from what was ingested).

Retries are safe by construction (no Idempotency-Key header is needed):
- opening a run again with the same location, category and started_at returns the run already
  opened (`created` is False; the API answers 200 instead of 201);
- finishing a finished run again with the same status, pages and error changes nothing; with
  other values it is refused (`RunFinished`), since a finished run's record is history;
- ingesting a batch again matches every lead with the one the first request stored (they are
  "unchanged") and links each lead to the run once (see `ingest.batches`).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from ingest.models import Scraper, ScraperAPIKey, ScraperRun, ScrapeRunLead
from leads.models import ScrapeRun, ScrapeRunStatus

RUN_NOT_FOUND = "No scrape run with this id belongs to this scraper."


class RunFinished(Exception):
    """The run was finished already; the message says how."""


def scraper_key_create(*, scraper: Scraper, name: str) -> tuple[ScraperAPIKey, str]:
    """A new key for `scraper`: (record, the key itself). The key is shown once and stored hashed only."""
    return ScraperAPIKey.objects.create_key(scraper=scraper, name=name)


def scraper_runs(*, scraper: Scraper):
    return ScrapeRun.objects.filter(scraper_link__scraper=scraper)


def scraper_run_get(*, scraper: Scraper, run_id, lock: bool = False) -> ScrapeRun:
    """The scraper's own run `run_id`; anyone else's answers exactly like a missing one (Http404)."""
    queryset = scraper_runs(scraper=scraper).select_related("location", "category")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    run = queryset.filter(pk=run_id).first() if isinstance(run_id, int) else None
    if run is None:
        raise Http404(RUN_NOT_FOUND)
    return run


def scrape_run_open(*, scraper: Scraper, location, category, started_at) -> tuple[ScrapeRun, bool]:
    """(run, created): a new running run, or the one this scraper opened with the same three values."""
    with transaction.atomic():
        found = (
            scraper_runs(scraper=scraper)
            .filter(location=location, category=category, started_at=started_at)
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found, False
        run = ScrapeRun.objects.create(location=location, category=category, started_at=started_at)
        ScraperRun.objects.create(scrape_run=run, scraper=scraper)
        return run, True


@dataclass(frozen=True)
class RunCounts:
    found: int
    new: int

    @property
    def duplicate(self) -> int:
        return self.found - self.new


def scrape_run_counts(*, run: ScrapeRun) -> RunCounts:
    """Leads ingested into the run (each once), and how many of them the run created."""
    counts = ScrapeRunLead.objects.filter(scrape_run=run).aggregate(
        found=Count("pk"), new=Count("pk", filter=Q(new=True))
    )
    return RunCounts(found=counts["found"], new=counts["new"])


def scrape_run_finish(*, scraper: Scraper, run_id, status: str, pages_fetched: int, error: str) -> ScrapeRun:
    """Close the run with its counts from what was ingested into it; see the module docstring on retries."""
    with transaction.atomic():
        run = scraper_run_get(scraper=scraper, run_id=run_id, lock=True)
        if run.finished_at is not None:
            if (run.status, run.pages_fetched, run.error) == (status, pages_fetched, error):
                return run
            raise RunFinished(
                f"This scrape run was finished already ({run.status}, {run.pages_fetched} pages); "
                "a finished run cannot change."
            )
        counts = scrape_run_counts(run=run)
        run.status = ScrapeRunStatus(status)
        run.pages_fetched = pages_fetched
        run.error = error
        run.finished_at = timezone.now()
        run.leads_found, run.leads_new, run.leads_duplicate = counts.found, counts.new, counts.duplicate
        run.save(
            update_fields=[
                "status",
                "pages_fetched",
                "error",
                "finished_at",
                "leads_found",
                "leads_new",
                "leads_duplicate",
            ]
        )
        return run
