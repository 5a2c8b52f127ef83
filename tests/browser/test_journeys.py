"""Whole journeys in Chromium, as a Sales staff member does them (logged in through the login form, not a superuser).

1. Filter the lead list from the sidebar, export it as CSV (quick: the file comes back at once) and as
   Excel in the background (followed on the history page), and read both files back.
2. The same background export with the real task backend and a real `manage.py db_worker` process
   (PostgreSQL only: the worker must share the live server's database).
3. The dashboard draws its charts and follows a filter change.
4. Without the contact-info permission, contact columns are offered only masked or hashed, never plain.

Each step leaves a screenshot in $TEST_ARTIFACTS_DIR (journey-*.png).
"""

import csv
import io
import subprocess
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse

from exports.models import Export, ExportStatus
from leads.demo_data.seeding import demo_data_seed
from leads.demo_users import demo_users_ensure
from leads.models import Lead, Location
from leads.selectors import lead_filters_normalize, lead_list
from tests.browser.test_dashboard import CHART_IDS, charts_drawn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-pass-word-123"
CONTACT_HEADERS = {"E-mail", "Phone", "Contact name"}


@pytest.fixture
def demo(transactional_db):
    """Demo leads, and the demo logins: "sales" (Sales staff: may export, no contact info) and "manager"."""
    demo_data_seed(leads=500, runs=10, seed=21)
    demo_users_ensure(password=PASSWORD)
    return Lead.objects.count()


def log_in(page, live_server, username: str):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def sidebar(page, title: str):
    return page.locator(f'#changelist-filter details[data-filter-title="{title}"]')


def filter_the_lead_list(page, live_server, screenshot, name: str) -> QueryDict:
    """Status New and Contacted, the busiest location, with e-mail, price 50-3000: returns the list's query."""
    busiest = Location.objects.annotate(leads_count=Count("leads")).order_by("-leads_count", "name").first()
    page.goto(f"{live_server.url}{reverse('admin:leads_lead_changelist')}")
    sidebar(page, "status").get_by_role("checkbox", name="New", exact=True).click()
    page.wait_for_url("**status=new*")
    sidebar(page, "status").get_by_role("checkbox", name="Contacted", exact=True).click()
    page.wait_for_url("**status=new%2Ccontacted*")
    sidebar(page, "location").get_by_role("checkbox", name=busiest.name, exact=True).click()
    page.wait_for_url(f"**location_ids={busiest.pk}*")
    with page.expect_navigation():
        sidebar(page, "e-mail").get_by_role("link", name="With e-mail", exact=True).click()
    price = sidebar(page, "price")
    price.get_by_label("Min ($)").fill("50")
    price.get_by_label("Max ($)").fill("3000")
    with page.expect_navigation():
        price.get_by_role("button", name="Apply").click()
    query = QueryDict(urlsplit(page.url).query)
    assert dict(query.lists()) == {
        "status": ["new,contacted"],
        "location_ids": [str(busiest.pk)],
        "has_email": ["true"],
        "min_price": ["50"],
        "max_price": ["3000"],
    }
    assert page.locator("#result_list tbody tr").count() == min(50, lead_list(filters=query).count())
    screenshot(page, f"journey-{name}-1-filtered-list")
    return query


def open_export_page(page, query: QueryDict, expected: int):
    with page.expect_navigation():
        page.locator("#export-all-link").click()
    assert QueryDict(urlsplit(page.url).query) == query  # the export page carries the list's filters
    assert page.locator("#export-count").inner_text() == f"{expected:,}"


def assert_no_plain_contacts_offered(page, leads: list[Lead]) -> None:
    """Without the contact permission: contact columns only masked or hashed, never a plain value."""
    for key in ("email", "phone", "contact_name"):
        column = page.locator(f'#export-columns li[data-column="{key}"]')
        assert column.count() == 1 and "(masked or hashed)" in column.inner_text()
    modes = page.locator('select[name="contact_mode"] option').evaluate_all("options => options.map(o => o.value)")
    assert set(modes) <= {"masked", "hashed"} and modes
    content = page.content()
    assert not any(lead.email and lead.email in content for lead in leads)  # not even hidden in the preview


def csv_ids(path) -> tuple[list[str], list[int]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header, *rows = csv.reader(handle)
    return header, [int(row[header.index("ID")]) for row in rows]


def xlsx_ids(path) -> tuple[list[str], list[int]]:
    with open(path, "rb") as handle:
        rows = list(
            openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True)["Leads"].iter_rows(values_only=True)
        )
    header = list(rows[0])
    return header, [int(row[header.index("ID")]) for row in rows[1:]]


def export_in_the_background_as_excel(page, live_server, query: QueryDict, expected: int, screenshot, name: str):
    page.goto(f"{live_server.url}{reverse('admin:leads_lead_export')}?{query.urlencode()}")
    assert "runs in the background" in page.locator(".export-mode").inner_text()
    page.get_by_label("Excel", exact=True).check()
    screenshot(page, f"journey-{name}-2-export-page-excel")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Export {expected:,} leads").click()
    assert urlsplit(page.url).path == reverse("admin:exports_export_changelist")
    assert "running in the background" in page.locator(".messagelist").inner_text()
    return Export.objects.filter(format="excel").latest("created_at")


def download_from_history(page, export: Export, screenshot, name: str):
    row = page.locator("#result_list tbody tr", has=page.locator(f'[data-export-id="{export.pk}"]'))
    # The page polls the status and reloads once the export is done, to offer the download.
    row.get_by_role("button", name="Download").wait_for(timeout=45_000)
    assert row.locator(".export-status").inner_text() == "Completed"
    screenshot(page, f"journey-{name}-3-history-completed")
    with page.expect_download() as download_info:
        row.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.suggested_filename.startswith("leads_") and download.suggested_filename.endswith(".xlsx")
    return download.path()


def test_sales_staff_filters_then_exports_csv_at_once_and_excel_in_the_background(
    page, live_server, demo, settings, screenshot
):
    settings.QUICK_EXPORT_LIMIT = 10_000
    log_in(page, live_server, "sales")
    query = filter_the_lead_list(page, live_server, screenshot, "csv-excel")
    expected = list(lead_list(filters=query).values_list("pk", flat=True))
    assert 5 < len(expected) < demo, "the demo data should match some leads, not all"

    # CSV, quick: the file downloads as soon as it is written.
    open_export_page(page, query, len(expected))
    assert "downloads as soon as it is written" in page.locator(".export-mode").inner_text()
    assert_no_plain_contacts_offered(page, list(Lead.objects.filter(pk__in=expected)))
    screenshot(page, "journey-csv-excel-2-export-page-csv")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=f"Export {len(expected):,} leads").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    header, ids = csv_ids(download.path())
    assert ids == expected  # exactly the list's leads, in the list's order
    assert not CONTACT_HEADERS & set(header)
    csv_export = Export.objects.get(format="csv")
    assert csv_export.filters == lead_filters_normalize(filters=query)  # the list's spec, recorded
    assert csv_export.created_by.username == "sales" and csv_export.download_count == 1

    # Excel, in the background (the test task backend runs the task when the request commits).
    settings.QUICK_EXPORT_LIMIT = 5
    export = export_in_the_background_as_excel(page, live_server, query, len(expected), screenshot, "csv-excel")
    path = download_from_history(page, export, screenshot, "csv-excel")
    header, ids = xlsx_ids(path)
    assert ids == expected
    assert not CONTACT_HEADERS & set(header)
    export.refresh_from_db()
    assert export.status == ExportStatus.COMPLETED and export.rows_written == len(expected)
    assert export.filters == csv_export.filters


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a db_worker process must share the live server's database: pytest-django's PostgreSQL test database "
    "(SQLite's is in memory, private to this process)",
)
def test_a_background_export_is_run_by_a_real_worker_and_followed_until_it_completes(
    page, live_server, demo, settings, screenshot, tmp_path
):
    from tests.exports.test_worker import WORKER, stop, worker_environment

    settings.QUICK_EXPORT_LIMIT = 5
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    log_in(page, live_server, "sales")
    query = filter_the_lead_list(page, live_server, screenshot, "worker")
    expected = list(lead_list(filters=query).values_list("pk", flat=True))

    export = export_in_the_background_as_excel(page, live_server, query, len(expected), screenshot, "worker")
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING and export.task_id  # queued; no worker yet
    row = page.locator("#result_list tbody tr", has=page.locator(f'[data-export-id="{export.pk}"]'))
    assert row.locator(".export-status").inner_text() == "Pending"
    assert row.get_by_role("button", name="Download").count() == 0
    screenshot(page, "journey-worker-2b-history-pending")

    worker = subprocess.Popen(WORKER, cwd=str(django_settings.BASE_DIR), env=worker_environment(tmp_path))
    try:
        path = download_from_history(page, export, screenshot, "worker")
    finally:
        stop(worker)
    _, ids = xlsx_ids(path)
    assert ids == expected
    export.refresh_from_db()
    assert export.status == ExportStatus.COMPLETED and export.rows_written == len(expected)
    assert export.download_count == 1


def test_the_dashboard_draws_its_charts_and_follows_a_filter_change(page, live_server, demo, screenshot):
    log_in(page, live_server, "sales")
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/admin/dashboard/")
    before = charts_drawn(page, len(CHART_IDS))
    assert sorted(before) == sorted(CHART_IDS)
    assert all(state and state["width"] > 0 for state in before.values())
    assert sum(before["chart-contact"]["data"][0]) == demo
    screenshot(page, "journey-dashboard-1-all-leads")

    page.check("input[name='status'][value='contacted']")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**status=contacted**")
    after = charts_drawn(page, len(CHART_IDS))
    contacted = lead_list(filters={"status": "contacted"}).count()
    assert 0 < contacted < demo
    assert sum(after["chart-contact"]["data"][0]) == contacted
    assert after["chart-locations"]["data"] != before["chart-locations"]["data"]
    screenshot(page, "journey-dashboard-2-contacted")


def test_plain_contact_columns_are_offered_only_with_the_contact_info_permission(page, live_server, demo, screenshot):
    url = f"{live_server.url}{reverse('admin:leads_lead_export')}?has_email=true&status=new"
    leads = list(lead_list(filters={"has_email": "true", "status": "new"})[:10])

    log_in(page, live_server, "sales")
    page.goto(url)
    assert_no_plain_contacts_offered(page, leads)
    assert "E-mail" not in page.locator("#export-preview thead").inner_text()
    screenshot(page, "journey-contact-1-sales-staff")

    page.context.clear_cookies()
    log_in(page, live_server, "manager")
    page.goto(url)
    page.get_by_label("Include contact information (e-mail, phone, contact name)").check()
    assert page.locator('#export-columns li[data-column="email"]').is_visible()
    assert leads[0].email in page.locator("#export-preview").inner_text()
    screenshot(page, "journey-contact-2-manager")
