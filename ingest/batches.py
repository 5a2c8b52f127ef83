"""One ingest batch: a scraper's leads through the one bulk write path, one result per lead, in order.

Each lead is a JSON object with the scraped fields only (`SCRAPED_FIELDS`); a lead naming any other
field (status, notes, id, ...) or a value of the wrong JSON type is rejected, alone. The rest is
cleaned and written by `leads.importing.upsert.leads_upsert` exactly as a file import is (the same
cleaning, matching on location + source_post_id, only the fields given are written), in one
transaction per batch: a person's status, assignment and notes are never touched.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from ingest.models import Scraper, ScrapeRunLead
from ingest.services import RunFinished, scraper_run_get
from leads.importing.upsert import Outcome, leads_upsert

SCRAPED_FIELDS = (
    "source_post_id",
    "location",
    "category",
    "url",
    "title",
    "description",
    "price",
    "posted_at",
    "contact_name",
    "email",
    "phone",
)
_ALLOWED = frozenset(SCRAPED_FIELDS)
_NOT_SCRAPED = "is not a field a scraper sends; a lead holds only " + ", ".join(SCRAPED_FIELDS)


@dataclass(frozen=True)
class IngestResult:
    results: list[dict]
    totals: dict[str, int]


def printable(text: str) -> str:
    """Text a client sent, safe to echo in JSON (a lone surrogate cannot be encoded)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _shape_errors(lead) -> dict[str, list[str]]:
    if not isinstance(lead, dict):
        return {"": ["each lead is a JSON object"]}
    errors = {}
    for name, value in lead.items():
        if name not in _ALLOWED:
            errors[printable(name)] = [_NOT_SCRAPED]
        elif value is None or (isinstance(value, str) and name != "price"):
            continue
        elif isinstance(value, bool) or not isinstance(value, (int, float, str)):
            errors[name] = ["must be a number or a string" if name == "price" else "must be a string"]
        elif name not in ("price", "source_post_id"):
            errors[name] = ["must be a string"]
    return errors


def _result(index: int, lead, outcome: str, *, lead_id=None, errors=None) -> dict:
    post_id = lead.get("source_post_id") if isinstance(lead, dict) else None
    return {
        "index": index,
        "source_post_id": None if post_id is None else printable(str(post_id)),
        "outcome": outcome,
        "lead_id": lead_id,
        "errors": errors or {},
    }


def leads_ingest(*, scraper: Scraper, scrape_run_id: int | None, leads: list) -> IngestResult:
    """Write `leads` (already checked to be a list within the batch limit); see the module docstring.

    Raises Http404 for a run that is not this scraper's and RunFinished for a finished run.
    """
    results: list[dict | None] = [None] * len(leads)
    accepted = []
    for index, lead in enumerate(leads):
        errors = _shape_errors(lead)
        if errors:
            results[index] = _result(index, lead, Outcome.REJECTED, errors=errors)
        else:
            accepted.append(index)
    with transaction.atomic():
        run = None
        if scrape_run_id is not None:
            run = scraper_run_get(scraper=scraper, run_id=scrape_run_id, lock=True)
            if run.finished_at is not None:
                raise RunFinished("This scrape run is finished; open a new run to ingest more leads.")
        outcomes = leads_upsert(
            rows=[leads[index] for index in accepted],
            batch_size=max(1, len(accepted)),
            first_number=0,
            source="ingest",
            created_values=None if run is None else {"scrape_run_id": run.pk},
        )
        links: dict[int, ScrapeRunLead] = {}
        for index, outcome in zip(accepted, outcomes, strict=True):
            results[index] = _result(
                index, leads[index], outcome.outcome, lead_id=outcome.lead_id, errors=outcome.errors
            )
            if run is not None and outcome.lead_id is not None and outcome.lead_id not in links:
                new = outcome.outcome == Outcome.CREATED
                links[outcome.lead_id] = ScrapeRunLead(scrape_run=run, lead_id=outcome.lead_id, new=new)
        if links:  # a lead already linked to the run (a retry, a repeat) keeps its first link
            ScrapeRunLead.objects.bulk_create(links.values(), ignore_conflicts=True)
    totals = Counter(result["outcome"] for result in results)
    return IngestResult(results=results, totals={str(kind): totals.get(kind, 0) for kind in Outcome})
