"""analytics_report: the three selectors under one spec, as one JSON document."""

import datetime
import json

import pytest

from leads.analytics.report import analytics_report
from leads.selectors import LeadFilterError
from tests.leads.analytics.conftest import NOW

pytestmark = pytest.mark.django_db


def test_holds_every_section_for_the_same_spec(leads, runs):
    report = analytics_report(filters={"status": "converted"}, now=NOW)

    assert set(report) == {"generated_at", "filters", "leads", "performance", "exportable_data"}
    assert report["generated_at"] == NOW.isoformat()
    assert report["filters"] == {"status": ["converted"]}
    assert report["leads"]["totals"]["leads"] == 2
    assert report["leads"]["as_of"] == NOW.isoformat()
    assert report["performance"]["runs"]["total"] == 5
    assert report["exportable_data"]["total_leads"] == 2
    assert json.loads(json.dumps(report)) == report


def test_bad_spec_raises_before_any_figure(django_assert_max_num_queries):
    with django_assert_max_num_queries(0), pytest.raises(LeadFilterError):
        analytics_report(filters={"limit": "0"}, now=datetime.datetime.now(datetime.UTC))
