"""Write paths beyond the ORM calls of test_equivalence: a file import and a merge-like move keep the figures right."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from leads.analytics.leads import lead_analytics
from leads.models import Lead, LeadStatus
from leads.rollups import rollups_refresh
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

pytestmark = pytest.mark.django_db

CSV = (
    "source_post_id,location,category,title,price,status\n"
    "7001,sfbay,sss,Oak table,250,new\n"
    "7002,sfbay,sss,Bike,80,Contacted\n"
)


def figures(settings, filters=None) -> tuple[dict, dict]:
    settings.LEAD_ROLLUPS = True
    from_rollups = lead_analytics(filters=filters or {})
    settings.LEAD_ROLLUPS = False
    from_leads = lead_analytics(filters=filters or {})
    from_rollups.pop("as_of"), from_leads.pop("as_of")
    return from_rollups, from_leads


def test_a_file_import_is_counted(tmp_path, settings):
    LocationFactory(site_code="sfbay")
    CategoryFactory(code="sss")
    rollups_refresh()
    path = tmp_path / "leads.csv"
    path.write_text(CSV)

    call_command("import_leads", str(path), stdout=StringIO())

    from_rollups, from_leads = figures(settings, {"status": "new,contacted"})
    assert from_rollups == from_leads
    assert from_rollups["totals"]["leads"] == 2


def test_a_merge_that_moves_and_deletes_in_one_transaction_is_counted(settings):
    # What a duplicate merge does: keep one lead, take over the other's status, delete the other.
    kept, duplicate = LeadFactory(), LeadFactory(status=LeadStatus.QUALIFIED)
    rollups_refresh()
    with transaction.atomic():
        Lead.objects.filter(pk=kept.pk).update(status=duplicate.status, price=None)
        duplicate.delete()

    from_rollups, from_leads = figures(settings)
    assert from_rollups == from_leads
    assert from_rollups["totals"]["leads"] == 1
    assert from_rollups["by_status"][2] == {"status": "qualified", "label": "Qualified", "count": 1, "share": 1.0}


def test_a_rolled_back_write_leaves_no_trace(settings):
    LeadFactory()
    rollups_refresh()
    with pytest.raises(RuntimeError), transaction.atomic():
        LeadFactory.create_batch(3)
        raise RuntimeError("the import failed")

    assert lead_analytics(filters={})["totals"]["leads"] == 1
