"""The dashboard's tables and chart fallbacks: headers and formatted cells from the analytics dicts."""

import pytest

from dashboard import charts, tables
from dashboard.rows import TableRow, number, percent, tabulate, text

pytestmark = pytest.mark.django_db


def test_tabulate_reads_every_cell_through_its_column():
    columns = [("Name", text("name")), ("Leads", number("count")), ("Share", percent("share"))]

    table = tabulate(columns, [{"name": "Oakland", "count": 1234, "share": 0.25}], ["/oak"])

    assert table["headers"] == ["Name", "Leads", "Share"]
    assert table["rows"] == [TableRow(["Oakland", "1,234", "25.0 %"], "/oak")]
    assert tabulate(columns, [{"name": "Boston", "count": 0, "share": None}])["rows"][0].link is None


def test_tabulate_refuses_links_that_do_not_match_the_entries():
    with pytest.raises(ValueError):
        tabulate([("Name", text("name"))], [{"name": "a"}, {"name": "b"}], ["/a"])


SCRAPING = {
    "by_location": [
        {
            "id": 7,
            "name": "Oakland",
            "runs": 12,
            "success": 9,
            "partial": 2,
            "failed": 1,
            "success_rate": 0.75,
            "leads_found": 1500,
            "leads_new": 900,
            "reposts": 30,
        }
    ],
    "over_time": {
        "granularity": "day",
        "buckets": [{"start": "2026-11-10", "end": "2026-11-10", "runs": 3, "success": 1, "partial": 1, "failed": 1}],
    },
    "runs": {"total": 3, "success_rate": 0.3333, "failed": 1},
}


def test_scrape_locations_table():
    table = tables.scrape_locations_table(SCRAPING, spec={"date_from": "2026-11-01"}, can_view_runs=True)

    assert table.headers == [
        "Location",
        "Runs",
        "Success",
        "Partial",
        "Failed",
        "Success rate",
        "Leads found",
        "New",
        "Reposts",
    ]
    assert table.rows[0].cells == ["Oakland", "12", "9", "2", "1", "75.0 %", "1,500", "900", "30"]
    assert table.rows[0].link == "/admin/leads/scraperun/?date_from=2026-11-01&location_ids=7"
    assert tables.scrape_locations_table(SCRAPING, spec={}, can_view_runs=False).rows[0].link is None


def test_scrape_runs_chart_table_has_one_row_per_period():
    (panel,) = charts.scraping_chart_panels(SCRAPING)

    assert panel.headers == ["Day", "Runs", "Success", "Partial", "Failed"]
    assert len(panel.rows) == 1
    assert panel.rows[0].cells[1:] == ["3", "1", "1", "1"]
    assert panel.rows[0].link is None


def test_top_conversion_table_links_to_the_converted_leads_of_each_place():
    entries = [{"id": 7, "code": "oak", "name": "Oakland", "count": 40, "converted": 10, "conversion_rate": 0.25}]

    table = tables.top_conversion_table(entries, spec={}, noun="location", plural="locations", min_leads=20)

    assert table.headers == ["Location", "Leads", "Converted", "Conversion rate"]
    assert table.rows[0].cells == ["Oakland", "40", "10", "25.0 %"]
    assert table.rows[0].link == "/admin/leads/lead/?status=converted&location_ids=7"


def test_recent_exports_name_formats_data_and_statuses_as_labels():
    table = tables.recent_exports_table(
        {
            "scope": "all",
            "recent": [
                {
                    "id": 1,
                    "created_at": "2026-12-01T18:05:00+00:00",
                    "created_by": "sales",
                    "format": "excel",
                    "data_type": "leads",
                    "status": "completed",
                    "rows_written": 5000,
                    "file_size": 2048,
                    "download_count": 0,
                }
            ],
        }
    )
    (row,) = table.rows
    assert row.cells[2:5] == ["Excel", "Leads", "Completed"]
    assert row.cells[5] == "5,000"
