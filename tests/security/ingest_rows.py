"""Access-matrix rows of the scraper ingest API: no user's token or session gets in, only a scraper's key.

(Every role here is a person: anonymous and an inactive user's token get 401, everyone else 403,
superusers included. What a scraper's key may do, and that it gets 403 on every other endpoint, is
tested in tests/ingest/test_keys.py.)
"""

from django.utils import timezone

from ingest.models import Scraper, ScraperRun
from leads.models import ScrapeRun
from tests.security.matrix import Row, api_cells, status

REFUSED_TO_PEOPLE = api_cells(status(403))


def scraper_run(world) -> ScrapeRun:
    lead = world.leads[0]
    run = ScrapeRun.objects.create(location=lead.location, category=lead.category, started_at=timezone.now())
    scraper, _ = Scraper.objects.get_or_create(name="matrix scraper")
    ScraperRun.objects.create(scrape_run=run, scraper=scraper)
    return run


def _json(payload):
    return lambda world, target, user: payload


def _open_run(world, target, user) -> dict:
    lead = world.leads[0]
    return {"location": lead.location.site_code, "category": lead.category.code, "started_at": "2026-12-01T09:00Z"}


def _batch(world, target, user) -> dict:
    lead = world.leads[0]
    return {
        "scrape_run": target.pk,
        "leads": [{"source_post_id": lead.source_post_id, "location": lead.location.site_code, "title": "Changed"}],
    }


INGEST_ROWS = [
    Row(
        "API scrape-runs (open)",
        "post",
        lambda w, t: "/api/v1/scrape-runs",
        REFUSED_TO_PEOPLE,
        api=True,
        data=_open_run,
        extra={"format": "json"},
        state_changing=True,
    ),
    Row(
        "API scrape-runs/<id>/finish",
        "post",
        lambda w, t: f"/api/v1/scrape-runs/{t.pk}/finish",
        REFUSED_TO_PEOPLE,
        api=True,
        data=_json({"status": "success", "pages_fetched": 1}),
        prepare=scraper_run,
        extra={"format": "json"},
        state_changing=True,
    ),
    Row(
        "API leads/ingest",
        "post",
        lambda w, t: "/api/v1/leads/ingest",
        REFUSED_TO_PEOPLE,
        api=True,
        data=_batch,
        prepare=scraper_run,
        extra={"format": "json"},
        state_changing=True,
    ),
]
