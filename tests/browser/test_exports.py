"""Exports in Chromium: filter the lead list, open the export page, pick columns, download, follow the history."""

import io
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.http import QueryDict
from django.urls import reverse
from playwright.sync_api import expect

from exports.models import Export, ExportStatus, export_upload_to
from exports.storage import export_storage
from leads.demo_data.seeding import demo_data_seed
from leads.models import Lead
from leads.selectors import lead_list
from tests.exports.factories import ExportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_leads(transactional_db):
    demo_data_seed(leads=1000, seed=11)
    return Lead.objects.count()


def column_item(page, key: str):
    return page.locator(f'#export-columns li[data-column="{key}"]')


def picked_columns(page) -> list[str]:
    return page.locator("#export-columns li:not([hidden])").evaluate_all(
        "items => items.filter(item => item.querySelector('input').checked).map(item => item.dataset.column)"
    )


def preview_columns(page) -> list[str]:
    return page.locator("#export-preview thead th:not([hidden])").evaluate_all(
        "cells => cells.map(cell => cell.dataset.column)"
    )


def test_export_the_filtered_list_as_excel_with_chosen_columns(staff_page, live_server, demo_leads, screenshot):
    page = staff_page
    page.goto(f"{live_server.url}{reverse('admin:leads_lead_changelist')}")
    page.locator('#changelist-filter details[data-filter-title="status"]').get_by_role(
        "checkbox", name="New", exact=True
    ).click()
    page.wait_for_url("**status=new*")
    page.fill("#searchbar", "car")
    with page.expect_navigation():
        page.locator("#changelist-search input[type=submit]").click()
    spec = QueryDict(urlsplit(page.url).query)
    # A lead on the do-not-contact list goes out without its contact details (leads.suppression).
    leads = lead_list(filters=spec).with_suppression_flag()
    expected = [
        (pk, "" if suppressed else email) for pk, email, suppressed in leads.values_list("pk", "email", "is_suppressed")
    ]
    assert 10 < len(expected) < Lead.objects.count(), "the demo data should have some new cars, not all leads"

    with page.expect_navigation():
        page.locator("#export-all-link").click()
    assert QueryDict(urlsplit(page.url).query) == QueryDict("status=new&q=car")
    assert page.locator("#export-count").inner_text() == f"{len(expected):,}"
    assert page.locator("#export-preview tbody tr").count() == 10
    # Contact columns stay hidden until contact info is included.
    assert not column_item(page, "email").is_visible()

    column_item(page, "description").locator("input").uncheck()
    column_item(page, "title").get_by_role("button", name="Move Title up").click()
    column_item(page, "title").get_by_role("button", name="Move Title up").click()
    page.get_by_label("Include contact information (e-mail, phone, contact name)").check()
    assert column_item(page, "email").is_visible()
    for key in ("contact_name", "phone"):
        column_item(page, key).locator("input").uncheck()
    page.get_by_label("Excel", exact=True).check()

    chosen = picked_columns(page)
    assert chosen[:3] == ["title", "id", "source_post_id"]
    assert "description" not in chosen and "email" in chosen and "phone" not in chosen
    assert preview_columns(page) == chosen  # the preview follows the picker
    screenshot(page, "test_export_the_filtered_list_as_excel_with_chosen_columns-page")

    with page.expect_download() as download_info:
        page.get_by_role("button", name=f"Export {len(expected):,} leads").click()
    download = download_info.value
    assert download.suggested_filename.startswith("leads_") and download.suggested_filename.endswith(".xlsx")

    with open(download.path(), "rb") as handle:
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True)["Leads"]
        rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:2] == ["Title", "ID"]
    assert "Description" not in header and "Phone" not in header
    ids, emails = header.index("ID"), header.index("E-mail")
    assert [(row[ids], row[emails] or "") for row in rows[1:]] == expected

    export = Export.objects.get()
    assert export.status == ExportStatus.COMPLETED
    assert export.filters == {"status": ["new"], "q": "car"}
    assert export.columns == chosen
    assert export.download_count == 1


def test_a_background_export_is_followed_on_the_history_page(staff_page, live_server, demo_leads, settings, screenshot):
    settings.QUICK_EXPORT_LIMIT = 5
    page = staff_page
    page.goto(f"{live_server.url}{reverse('admin:leads_lead_export')}?status=contacted")
    assert "runs in the background" in page.locator(".export-mode").inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="Export").click()

    assert urlsplit(page.url).path == reverse("admin:exports_export_changelist")
    assert "running in the background" in page.locator(".messagelist").inner_text()
    export = Export.objects.get()
    # The test task backend runs the task as soon as the request commits.
    assert export.status == ExportStatus.COMPLETED
    assert export.rows_written == lead_list(filters={"status": "contacted"}).count()
    row = page.locator("#result_list tbody tr", has=page.locator(f'[data-export-id="{export.pk}"]'))
    assert row.locator(".export-status").inner_text() == "Completed"
    with page.expect_download() as download_info:
        row.get_by_role("button", name="Download").click()
    assert download_info.value.suggested_filename.endswith(".csv")
    screenshot(page, "test_a_background_export_is_followed_on_the_history_page")

    # Re-run posts the page's CSRF-protected row form; the new export runs the same spec.
    with page.expect_navigation():
        row.get_by_role("button", name="Re-run").click()
    assert "re-run" in page.locator(".messagelist").inner_text()
    rerun = Export.objects.get(rerun_of=export)
    assert rerun.filters == export.filters
    assert page.locator(f'[data-export-id="{rerun.pk}"]').count() == 1


def test_the_history_page_follows_a_running_export_until_it_completes(staff_page, live_server, staff_user, screenshot):
    running = ExportFactory(
        created_by=staff_user, running=True, progress=30, rows_written=300, row_count=1000, file_name="leads_all.csv"
    )
    page = staff_page
    page.goto(f"{live_server.url}{reverse('exports:history')}")
    row = page.locator("#result_list tbody tr", has=page.locator(f'[data-export-id="{running.pk}"]'))
    assert row.locator("progress").get_attribute("value") == "30"
    assert row.get_by_role("button", name="Download").count() == 0

    # The worker moves on: the page polls and moves the bar without a reload ...
    Export.objects.filter(pk=running.pk).update(progress=70, rows_written=700)
    # Polled through the protocol: the page's Content-Security-Policy forbids the eval a string predicate needs.
    expect(page.locator(f'[data-export-progress="{running.pk}"] progress')).to_have_js_property(
        "value", 70, timeout=10_000
    )
    assert row.locator(f'[data-export-rows="{running.pk}"]').inner_text() == "700 of 1,000"
    screenshot(page, "test_the_history_page_follows_a_running_export_until_it_completes-running")

    # ... and reloads once the export is done, to offer the download.
    stored = export_storage().save(export_upload_to(running, "leads_all.csv"), ContentFile(b"id\n1\n"))
    Export.objects.filter(pk=running.pk).update(
        status=ExportStatus.COMPLETED, progress=100, rows_written=1000, file=stored, file_size=5
    )
    row.get_by_role("button", name="Download").wait_for(timeout=10_000)
    assert row.locator(".export-status").inner_text() == "Completed"
    with page.expect_download() as download_info:
        row.get_by_role("button", name="Download").click()
    assert download_info.value.suggested_filename == "leads_all.csv"
    running.refresh_from_db()
    assert running.download_count == 1
    screenshot(page, "test_the_history_page_follows_a_running_export_until_it_completes-done")


def test_the_preview_follows_the_contact_mode_as_it_is_chosen(staff_page, live_server, demo_leads, screenshot):
    from exports.content.transforms import hash_email, mask_email

    page = staff_page
    page.goto(f"{live_server.url}{reverse('admin:leads_lead_export')}?has_email=true")
    page.get_by_label("Include contact information").check()
    first = lead_list(filters={"has_email": True}).first()
    cell = page.locator('#export-preview tbody tr:first-child td[data-column="email"]')
    expect(cell).to_have_text(first.email)

    page.locator('select[name="contact_mode"]').select_option("hashed")
    expect(cell).to_have_text(hash_email(first.email))
    page.locator('select[name="contact_mode"]').select_option("masked")
    expect(cell).to_have_text(mask_email(first.email))
    screenshot(page, "export-preview-masked")
