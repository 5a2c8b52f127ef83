"""The export record's page reads as a person would say it: lists, a progress bar, a named breadcrumb."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exports.models import ExportStatus
from tests.exports.factories import ExportFactory, UserFactory
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exporter(client):
    user = UserFactory(username="staff", permissions=["exports.export_leads"])
    client.force_login(user)
    return user


def page(client, export) -> str:
    return client.get(reverse("admin:exports_export_change", args=[export.pk])).content.decode()


def test_columns_and_options_are_readable_lists_not_json(client, exporter, settings):
    settings.TIME_ZONE = "UTC"
    export = ExportFactory(
        created_by=exporter,
        completed=True,
        columns=["title", "price", "location"],
        options={"csv_bom": True, "update_ready": False},
    )
    export.created_at = datetime.datetime(2026, 12, 1, 18, 5, tzinfo=datetime.UTC)
    export.save(update_fields=["created_at"])
    content = page(client, export)

    assert "<li>Title</li><li>Price</li><li>Location</li>" in content
    assert "<li>Add a byte-order mark to CSV files</li>" in content
    assert "Update-ready file" not in content.split("Options")[1].split("</ul>")[0]
    assert '["title"' not in content and "&quot;csv_bom&quot;" not in content
    assert (
        f'<a href="{reverse("admin:exports_export_changelist")}">Export history</a></li>\n'
        '  <li aria-current="page">CSV export of leads, 1 Dec 2026 18:05</li>'
    ) in content
    assert "Not included" in content  # contact information, in words
    assert '<div class="readonly">CSV</div>' in content and '<div class="readonly">Leads</div>' in content


def test_a_running_export_shows_a_live_progress_bar(client, exporter):
    export = ExportFactory(created_by=exporter, running=True, progress=40, row_count=1000, rows_written=400)
    content = page(client, export)

    assert f'data-export-progress="{export.pk}"><progress max="100" value="40">' in content
    assert f'data-export-id="{export.pk}" data-export-status="running">Running<' in content
    assert 'id="export-history-poll"' in content and "export_history.js" in content


def test_an_export_without_a_user_says_so_with_a_dash(client, db):
    manager = UserFactory(permissions=["exports.export_leads", "exports.view_all_exports"])
    client.force_login(manager)
    export = ExportFactory(created_by=None, status=ExportStatus.FAILED, finished_at=timezone.now())
    assert '<div class="readonly">Deleted user</div>' in page(client, export)
    ExportFactory(created_by=manager)
    history = client.get(reverse("admin:exports_export_changelist")).content.decode()
    assert '<td class="field-created_by_name">Deleted user</td>' in history
    assert ">Deleted user</a>" in history  # the filter's empty choice
    assert ">-</a>" not in history


def test_the_filters_read_as_label_and_value_items_with_a_link_to_the_lead_list(client, exporter):
    sf = LocationFactory(name="SF Bay Area", site_code="sfbay")
    export = ExportFactory(
        created_by=exporter, completed=True, filters={"status": ["new", "contacted"], "location_ids": [sf.pk]}
    )
    content = page(client, export)

    assert "<li>Status: New, Contacted</li><li>Locations: SF Bay Area</li>" in content
    lead_list = reverse("admin:leads_lead_changelist")
    assert f'<a href="{lead_list}?status=new&amp;status=contacted&amp;location_ids={sf.pk}" class="button">' in content
    assert "Open in lead list" in content
    assert content.count("status=new&amp;status=contacted") == 1  # in the link only, never shown as text


def test_an_export_of_every_lead_says_all_leads(client, exporter):
    export = ExportFactory(created_by=exporter, completed=True, filters={})
    content = page(client, export)
    assert "All leads" in content
    assert f'<a href="{reverse("admin:leads_lead_changelist")}" class="button">Open in lead list</a>' in content


def test_the_history_filters_are_titled_and_labelled_in_words(client, db):
    manager = UserFactory(permissions=["exports.export_leads", "exports.view_all_exports"])
    client.force_login(manager)
    ExportFactory(created_by=manager, completed=True, format="excel")
    content = client.get(reverse("admin:exports_export_changelist")).content.decode()
    sidebar = content.split('id="changelist-filter"')[1]

    for words in ("By status", "Completed</a>", "By format", "Excel</a>", "By date created", "By person"):
        assert words in sidebar
    for raw in ("created at", "created by", ">excel</a>", ">completed</a>"):
        assert raw not in sidebar
