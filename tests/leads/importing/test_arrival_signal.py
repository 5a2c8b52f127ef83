"""leads_arrived: sent by the one bulk write path after each committed batch, never for a rolled-back one."""

import pytest

from leads.importing.files import LeadImportSource, lead_file_import
from leads.importing.upsert import leads_upsert
from leads.models import Lead
from leads.signals import leads_arrived
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

CSV = b"source_post_id,location,category,title\r\n1,sfbay,sss,Table\r\n2,sfbay,sss,Chair\r\n"


@pytest.fixture
def received():
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    leads_arrived.connect(receiver)
    yield seen
    leads_arrived.disconnect(receiver)


def test_a_file_import_announces_its_leads_after_the_commit(sites, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = lead_file_import(source=LeadImportSource.from_bytes(CSV, name="leads.csv"), format="csv")
    assert result.saved
    ids = sorted(Lead.objects.values_list("pk", flat=True))
    assert [(sorted(r["created_ids"]), r["updated_ids"], r["source"]) for r in received] == [(ids, [], "import")]


def test_a_rejected_file_sends_nothing(sites, received, django_capture_on_commit_callbacks):
    bad = CSV + b"3,sfbay,nope,Lamp\r\n"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = lead_file_import(source=LeadImportSource.from_bytes(bad, name="leads.csv"), format="csv")
    assert not result.saved and callbacks == [] and received == []


def test_each_batch_is_announced_with_what_it_changed(sites, received, django_capture_on_commit_callbacks):
    kept = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="old", title="Old")
    rows = [
        {"source_post_id": "old", "location": "sfbay", "title": "New"},
        {"source_post_id": "n1", "location": "sfbay", "category": "sss", "title": "One"},
        {"source_post_id": "n2", "location": "sfbay", "category": "sss", "title": "Two"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        list(leads_upsert(rows=rows, batch_size=2, source="ingest"))
    n1, n2 = (Lead.objects.get(source_post_id=post).pk for post in ("n1", "n2"))
    assert [(r["created_ids"], r["updated_ids"], r["source"]) for r in received] == [
        ([n1], [kept.pk], "ingest"),
        ([n2], [], "ingest"),
    ]
