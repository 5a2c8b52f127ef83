import datetime
import io
import json

import pytest

from exports.content.columns import DEFAULT_COLUMN_KEYS
from exports.formats.json_document import JsonFormat
from exports.services.writing import export_dataset
from tests.exports.factories import ExportFactory, export_write_bytes
from tests.exports.formats.conftest import CONTROL_TEXT, CSV_HOSTILE, FORMULA_PAYLOADS, LONG_DESCRIPTION, WORLD_TEXT
from tests.exports.formats.expected import selected_leads
from tests.factories import ScrapeRunFactory

pytestmark = pytest.mark.django_db


def expected_lead(lead, keys):
    values = {
        "id": lead.pk,
        "source_post_id": lead.source_post_id,
        "title": lead.title,
        "description": lead.description,
        "price": None if lead.price is None else f"{lead.price:.2f}",
        "status": lead.status,
        "location": {
            "id": lead.location_id,
            "name": lead.location.name,
            "site_code": lead.location.site_code,
            "region": lead.location.region,
        },
        "location_code": lead.location.site_code,
        "category": {"id": lead.category_id, "name": lead.category.name, "code": lead.category.code},
        "category_code": lead.category.code,
        "url": lead.url,
        "contact_name": lead.contact_name,
        "email": lead.email,
        "phone": lead.phone,
        "posted_at": lead.posted_at,
        "scraped_at": lead.scraped_at,
        "updated_at": lead.updated_at,
        "scrape_run_id": lead.scrape_run_id,
    }
    return {key: values[key] for key in keys}


def parsed_dates(document_leads, keys=("posted_at", "scraped_at", "updated_at")):
    for lead in document_leads:
        for key in keys:
            if lead.get(key):
                lead[key] = datetime.datetime.fromisoformat(lead[key])
    return document_leads


def test_document_holds_metadata_and_the_filtered_leads_with_nested_objects(leads, exporter):
    export = ExportFactory(format="json", created_by=exporter, filters={"status": ["new", "converted"]})

    document = json.loads(export_write_bytes(export))

    assert list(document) == ["metadata", "leads"]
    metadata = document["metadata"]
    keys = [key for key in DEFAULT_COLUMN_KEYS if key not in ("contact_name", "email", "phone")]
    selected = selected_leads(export.filters)
    assert metadata["count"] == len(selected) == len(document["leads"])
    assert metadata["generated_by"] == "exporter"
    assert metadata["filters"] == {"status": ["new", "converted"]}
    assert metadata["columns"] == keys
    assert metadata["format_version"] == 1
    assert datetime.datetime.fromisoformat(metadata["generated_at"]).utcoffset() is not None
    assert parsed_dates(document["leads"]) == [expected_lead(lead, keys) for lead in selected]


def test_raw_values_are_kept_and_timestamps_carry_the_site_offset(leads, exporter):
    export = ExportFactory(
        format="json",
        created_by=exporter,
        columns=["title", "description", "contact_name", "scraped_at"],
        include_contact_info=True,
    )

    leads_out = json.loads(export_write_bytes(export))["leads"]

    titles = {lead["title"] for lead in leads_out}
    assert set(FORMULA_PAYLOADS) <= titles  # JSON is not neutralised
    assert {WORLD_TEXT, CSV_HOSTILE, CONTROL_TEXT} <= titles
    assert any(lead["description"] == LONG_DESCRIPTION for lead in leads_out)
    assert all(lead["scraped_at"].endswith(("-08:00", "-07:00")) for lead in leads_out)


def test_update_ready_document_is_flat_with_import_names(leads, exporter):
    export = ExportFactory(
        format="json",
        created_by=exporter,
        columns=["location", "category", "status", "price"],
        options={"update_ready": True},
    )

    leads_out = json.loads(export_write_bytes(export))["leads"]

    assert list(leads_out[0]) == ["id", "source_post_id", "location", "category", "status", "price"]
    for lead, out in zip(selected_leads({}), leads_out, strict=True):
        assert out == {
            "id": lead.pk,
            "source_post_id": lead.source_post_id,
            "location": lead.location.site_code,
            "category": lead.category.code,
            "status": lead.status,
            "price": None if lead.price is None else str(lead.price),
        }


def test_empty_selection_is_valid_json_with_count_zero(leads, exporter):
    export = ExportFactory(format="json", created_by=exporter, filters={"q": "nothing-matches-this"})

    document = json.loads(export_write_bytes(export))

    assert document["metadata"]["count"] == 0 and document["leads"] == []


class NonSeekable(io.RawIOBase):
    def __init__(self):
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, data):
        self.data += data
        return len(data)


def test_a_destination_that_cannot_seek_gets_the_count_taken_before_streaming(leads, exporter):
    export = ExportFactory(format="json", created_by=exporter, columns=["id"])
    destination = NonSeekable()

    rows = JsonFormat().write(dataset=export_dataset(export=export), destination=destination, on_progress=print)

    document = json.loads(bytes(destination.data))
    assert document["metadata"]["count"] == rows == len(selected_leads({}))


def test_analytics_document_holds_the_analytics_report(leads, exporter):
    export = ExportFactory(format="json", created_by=exporter, data_type="analytics", filters={"categories": ["sss"]})

    document = json.loads(export_write_bytes(export))

    assert list(document) == ["metadata", "analytics"]
    assert document["analytics"]["leads"]["totals"]["leads"] == len(selected_leads(export.filters))
    assert document["metadata"]["count"] == len(selected_leads(export.filters))


def test_analytics_document_with_scrape_runs_counts_them_over_time(leads, exporter):
    # The runs' time series is keyed by status: plain strings, or the JSON writer refuses the document.
    ScrapeRunFactory(status="success")
    ScrapeRunFactory(status="failed")
    export = ExportFactory(format="json", created_by=exporter, data_type="analytics")

    document = json.loads(export_write_bytes(export))

    buckets = document["analytics"]["performance"]["over_time"]["buckets"]
    assert sum(bucket["success"] for bucket in buckets) == 1
    assert sum(bucket["failed"] for bucket in buckets) == 1


def test_comprehensive_document_holds_analytics_and_leads(leads, exporter):
    export = ExportFactory(format="json", created_by=exporter, data_type="comprehensive", columns=["id"])

    document = json.loads(export_write_bytes(export))

    assert list(document) == ["metadata", "analytics", "leads"]
    assert [lead["id"] for lead in document["leads"]] == [lead.pk for lead in selected_leads({})]
