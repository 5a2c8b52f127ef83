"""The scraper ingest API end to end through DRF: runs, batches, outcomes, retries, counts, signal."""

import datetime

import pytest
from django.utils import timezone

from ingest.models import ScrapeRunLead
from leads.models import Lead, LeadStatus, ScrapeRun
from leads.signals import leads_arrived
from tests.factories import LeadFactory
from tests.ingest.conftest import lead

pytestmark = pytest.mark.django_db(transaction=False)

RUN = {"location": "sfbay", "category": "sss", "started_at": "2026-12-01T09:00:00Z"}


def open_run(client, **fields) -> dict:
    response = client.post("/api/v1/scrape-runs", RUN | fields, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def ingest(client, leads, *, run=None, status=200) -> dict:
    response = client.post("/api/v1/leads/ingest", {"scrape_run": run, "leads": leads}, format="json")
    assert response.status_code == status, response.content
    return response.json()


def outcomes(answer) -> list[str]:
    return [result["outcome"] for result in answer["results"]]


def test_open_a_run(client, places):
    body = open_run(client)
    run = ScrapeRun.objects.get(pk=body["id"])
    assert (run.location.site_code, run.category.code, run.status) == ("sfbay", "sss", "running")
    assert body["started_at"] == "2026-12-01T09:00:00Z" and body["finished_at"] is None
    assert run.scraper_link.scraper.name == "cl-west"


def test_opening_the_same_run_again_returns_it_and_creates_nothing(client, places):
    first = open_run(client)
    again = client.post("/api/v1/scrape-runs", RUN, format="json")
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert ScrapeRun.objects.count() == 1
    later = open_run(client, started_at="2026-12-01T10:00:00Z")
    assert later["id"] != first["id"]


def test_opening_a_run_with_unknown_codes_is_a_400_naming_the_fields(client, places):
    response = client.post(
        "/api/v1/scrape-runs", {"location": "atlantis", "category": "sss", "started_at": "soon"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"location", "started_at"}
    assert not ScrapeRun.objects.exists()


def test_created_updated_unchanged_and_rejected_in_order(client, places):
    LeadFactory(location=places[0], category=places[1], source_post_id="old", title="Old title")
    LeadFactory(location=places[0], category=places[1], source_post_id="same", **_stored(lead("same")))
    answer = ingest(client, [lead("new"), lead("old", title="New title"), lead("same"), lead("bad", price="cheap")])
    assert outcomes(answer) == ["created", "updated", "unchanged", "rejected"]
    assert answer["totals"] == {"created": 1, "updated": 1, "unchanged": 1, "rejected": 1}
    assert [result["index"] for result in answer["results"]] == [0, 1, 2, 3]
    assert [result["source_post_id"] for result in answer["results"]] == ["new", "old", "same", "bad"]
    assert answer["results"][3]["errors"] == {
        "price": ["“cheap” is not a price; give a number such as 120 or 1,200.50"]
    }
    assert answer["results"][3]["lead_id"] is None
    assert answer["results"][0]["lead_id"] == Lead.objects.get(source_post_id="new").pk
    assert Lead.objects.get(source_post_id="old").title == "New title"
    assert not Lead.objects.filter(source_post_id="bad").exists()


def _stored(fields: dict) -> dict:
    return {
        "url": fields["url"],
        "title": fields["title"],
        "description": fields["description"],
        "price": fields["price"],
        "posted_at": datetime.datetime.fromisoformat(fields["posted_at"]),
        "contact_name": fields["contact_name"],
        "email": fields["email"],
        "phone": fields["phone"],
    }


def test_one_bad_lead_never_rejects_the_batch(client, places):
    leads = [lead(str(n)) for n in range(5)]
    leads[2] = lead("2", title="", location="atlantis")
    leads[3] = "not an object"
    answer = ingest(client, leads)
    assert outcomes(answer) == ["created", "created", "rejected", "rejected", "created"]
    assert set(answer["results"][2]["errors"]) == {"location", "title"}
    assert answer["results"][3]["errors"] == {"": ["each lead is a JSON object"]}
    assert Lead.objects.count() == 3


def test_fields_a_scraper_does_not_send_reject_the_lead_and_wrong_types_too(client, places):
    answer = ingest(
        client,
        [lead("1", status="converted"), lead("2", notes="x"), lead("3", title=["a"]), lead("4", price=True)],
    )
    assert outcomes(answer) == ["rejected"] * 4
    assert "not a field a scraper sends" in answer["results"][0]["errors"]["status"][0]
    assert "notes" in answer["results"][1]["errors"]
    assert answer["results"][2]["errors"] == {"title": ["must be a string"]}
    assert answer["results"][3]["errors"] == {"price": ["must be a number or a string"]}
    assert not Lead.objects.exists()


def test_numbers_are_accepted_for_price_and_post_id(client, places):
    answer = ingest(client, [lead(7712, price=99.5)])
    assert outcomes(answer) == ["created"]
    stored = Lead.objects.get()
    assert (stored.source_post_id, str(stored.price)) == ("7712", "99.50")


def test_only_scraped_fields_change_never_status_or_what_a_person_set(client, places):
    worked = LeadFactory(location=places[0], category=places[1], source_post_id="w", status=LeadStatus.QUALIFIED)
    found_at = worked.scraped_at
    ingest(client, [lead("w", title="Rescraped", description="")])
    worked.refresh_from_db()
    assert worked.status == LeadStatus.QUALIFIED
    assert (worked.title, worked.description) == ("Rescraped", "")
    assert worked.scraped_at == found_at


def test_a_field_left_out_is_left_as_it_is(client, places):
    ingest(client, [lead("1")])
    update = {"source_post_id": "1", "location": "sfbay", "title": "Only the title"}
    assert outcomes(ingest(client, [update])) == ["updated"]
    stored = Lead.objects.get()
    assert (stored.title, stored.email, str(stored.price)) == ("Only the title", "sam@example.com", "120.00")


def test_a_retried_batch_changes_nothing(client, places):
    run = open_run(client)["id"]
    batch = [lead("1"), lead("2"), lead("2", title="Second time")]
    first = ingest(client, batch, run=run)
    before = list(Lead.objects.order_by("pk").values())
    links = list(ScrapeRunLead.objects.values_list("lead_id", "new"))
    again = ingest(client, batch, run=run)
    assert outcomes(first) == ["created", "created", "updated"]
    assert outcomes(again) == ["unchanged", "updated", "updated"]  # lead 2 goes back and forth within the batch
    assert list(Lead.objects.order_by("pk").values()) == before  # updated_at too: nothing was written
    assert list(ScrapeRunLead.objects.values_list("lead_id", "new")) == links
    assert [result["lead_id"] for result in again["results"]] == [result["lead_id"] for result in first["results"]]


def test_finish_counts_found_new_and_duplicates_from_what_was_ingested(client, places):
    LeadFactory(location=places[0], category=places[1], source_post_id="known")
    run = open_run(client)["id"]
    ingest(client, [lead("a"), lead("b"), lead("known"), lead("bad", title="")], run=run)
    ingest(client, [lead("a"), lead("c"), lead("known", title="Changed")], run=run)  # a and known again
    response = client.post(
        f"/api/v1/scrape-runs/{run}/finish", {"status": "partial", "pages_fetched": 4}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["leads_found"], body["leads_new"], body["leads_duplicate"]) == (4, 3, 1)
    assert (body["status"], body["pages_fetched"], body["error"]) == ("partial", 4, "")
    stored = ScrapeRun.objects.get(pk=run)
    assert stored.finished_at is not None and stored.leads_found == 4
    assert set(Lead.objects.filter(scrape_run_id=run).values_list("source_post_id", flat=True)) == {"a", "b", "c"}


def test_a_finish_retried_changes_nothing_and_a_different_one_is_refused(client, places):
    run = open_run(client)["id"]
    finish = {"status": "failed", "pages_fetched": 1, "error": "blocked by captcha"}
    first = client.post(f"/api/v1/scrape-runs/{run}/finish", finish, format="json").json()
    again = client.post(f"/api/v1/scrape-runs/{run}/finish", finish, format="json")
    assert again.status_code == 200 and again.json() == first
    other = client.post(f"/api/v1/scrape-runs/{run}/finish", finish | {"status": "success"}, format="json")
    assert other.status_code == 409 and "finished already" in other.json()["detail"]
    assert ScrapeRun.objects.get(pk=run).status == "failed"


def test_ingesting_into_a_finished_run_is_refused(client, places):
    run = open_run(client)["id"]
    client.post(f"/api/v1/scrape-runs/{run}/finish", {"status": "success"}, format="json")
    answer = ingest(client, [lead("1")], run=run, status=409)
    assert "finished" in answer["detail"]
    assert not Lead.objects.exists()


def test_finish_with_a_bad_status_is_a_400(client, places):
    run = open_run(client)["id"]
    for body in ({"status": "running"}, {"status": "done"}, {"status": "success", "pages_fetched": -1}):
        response = client.post(f"/api/v1/scrape-runs/{run}/finish", body, format="json")
        assert response.status_code == 400, body
    assert ScrapeRun.objects.get(pk=run).finished_at is None


def test_another_scrapers_run_is_404_like_a_missing_one(client, places, db):
    from ingest.models import Scraper, ScraperRun

    other = ScrapeRun.objects.create(location=places[0], category=places[1], started_at=timezone.now())
    ScraperRun.objects.create(scrape_run=other, scraper=Scraper.objects.create(name="someone else"))
    unowned = ScrapeRun.objects.create(location=places[0], category=places[1], started_at=timezone.now())
    for run in (other.pk, unowned.pk, 999999):
        finish = client.post(f"/api/v1/scrape-runs/{run}/finish", {"status": "success"}, format="json")
        assert finish.status_code == 404
        assert ingest(client, [lead("1")], run=run, status=404) == finish.json()
    assert not Lead.objects.exists() and not ScrapeRun.objects.filter(finished_at__isnull=False).exists()


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"leads": "x"},
        {"leads": []},
        {"leads": [{}], "scrape_run": "one"},
        {"leads": [{}], "scrape_run": True},
        {"leads": [{}], "extra": 1},
        {"scrape_run": None},
    ],
)
def test_a_malformed_body_is_a_400(client, places, body):
    response = client.post("/api/v1/leads/ingest", body, format="json")
    assert response.status_code == 400, response.content
    assert not Lead.objects.exists()


def test_broken_json_is_a_400(client, places):
    response = client.post("/api/v1/leads/ingest", b'{"leads": [', content_type="application/json")
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]


def test_the_batch_limit_is_a_setting(client, places, settings):
    settings.LEAD_INGEST_MAX_BATCH = 2
    response = client.post("/api/v1/leads/ingest", {"leads": [lead("1"), lead("2"), lead("3")]}, format="json")
    assert response.status_code == 400
    assert response.json()["leads"] == ["At most 2 leads per request (LEAD_INGEST_MAX_BATCH); this one has 3."]
    assert outcomes(ingest(client, [lead("1"), lead("2")])) == ["created", "created"]


def test_a_body_over_the_byte_limit_is_a_413(client, places, settings):
    settings.LEAD_INGEST_MAX_BYTES = 100
    response = client.post("/api/v1/leads/ingest", {"leads": [lead("1")]}, format="json")
    assert response.status_code == 413
    assert not Lead.objects.exists()


def test_nul_characters_are_rejected_per_lead(client, places):
    answer = ingest(client, [lead("1", title="a\x00b"), lead("2")])
    assert outcomes(answer) == ["rejected", "created"]
    assert answer["results"][0]["errors"] == {"title": ["contains a NUL character"]}


def test_leads_arrived_is_sent_after_the_commit_with_the_ids(client, places, django_capture_on_commit_callbacks):
    LeadFactory(location=places[0], category=places[1], source_post_id="old")
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    leads_arrived.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            ingest(client, [lead("new"), lead("old", title="Changed"), lead("bad", title="")])
        assert received == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        leads_arrived.disconnect(receiver)
    new, old = Lead.objects.get(source_post_id="new"), Lead.objects.get(source_post_id="old")
    assert [(r["created_ids"], r["updated_ids"], r["source"]) for r in received] == [([new.pk], [old.pk], "ingest")]


def test_an_unchanged_batch_sends_no_signal(client, places, django_capture_on_commit_callbacks):
    ingest(client, [lead("1")])
    with django_capture_on_commit_callbacks() as callbacks:
        ingest(client, [lead("1")])
    assert callbacks == []


def test_the_endpoints_are_in_the_openapi_schema_with_examples(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in ("/api/v1/scrape-runs", "/api/v1/scrape-runs/{run_id}/finish", "/api/v1/leads/ingest"):
        operation = schema["paths"][path]["post"]
        assert operation["requestBody"]["content"]["application/json"]["examples"], path
        assert "401" in operation["responses"] and "403" in operation["responses"]
    ingest_answer = schema["paths"]["/api/v1/leads/ingest"]["post"]["responses"]["200"]["content"]["application/json"]
    assert ingest_answer["examples"]
    assert schema["components"]["securitySchemes"]["scraperApiKey"]["name"] == "Authorization"
    assert {"scraperApiKey": []} in schema["paths"]["/api/v1/leads/ingest"]["post"]["security"]


def test_a_lone_surrogate_anywhere_in_the_body_is_a_400(client, places):
    body = '{"scrape_run": null, "leads": [{"source_post_id": "x\\ud800", "location": "sfbay"}]}'
    response = client.post("/api/v1/leads/ingest", body.encode(), content_type="application/json")
    assert response.status_code == 400 and "surrogate" in response.json()["detail"]
    assert not Lead.objects.exists()


def test_unknown_field_names_are_echoed_as_sent(client, places):
    answer = ingest(client, [lead("1") | {"prix €": 3}])
    assert answer["results"][0]["errors"] == {"prix €": [answer["results"][0]["errors"]["prix €"][0]]}
    assert "not a field a scraper sends" in answer["results"][0]["errors"]["prix €"][0]


def test_unknown_fields_of_a_run_are_a_400(client, places):
    response = client.post("/api/v1/scrape-runs", RUN | {"pages": 3}, format="json")
    assert response.status_code == 400 and "pages" in response.json()
