"""Saved and scheduled exports in Chromium, for a sales manager and a sales staff member.

Filter the lead list from the sidebar → Export → "Save this export…" on a weekly schedule → Run now
from the saved-export list → download the file from the export history (its rows are the list's
leads) → change the saved export's filters with the sidebar's controls on its page, and again in the
lead list with "Update saved export". Each page is measured for overflow and photographed at 1280
and 1920 px wide (saved-*.png in $TEST_ARTIFACTS_DIR).
"""

import csv
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from exports.models import Export, ExportStatus, SavedExport
from leads.filters import spec_to_query_string
from leads.models import Lead
from leads.selectors import lead_filters_normalize, lead_list
from tests.browser.page_fit import fit_problems
from tests.browser.test_journeys import demo, filter_the_lead_list, log_in, open_export_page, sidebar  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 1920)


def look(page, screenshot, name: str) -> None:
    """Photograph the page at each width; nothing may be cut off or overflow at any of them."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert fit_problems(page) == [], f"{name} at {width}px"
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1440, "height": 900})


def csv_ids(path) -> list[int]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header, *rows = csv.reader(handle)
    return [int(row[header.index("ID")]) for row in rows]


def save_as_weekly_export(page, name: str) -> None:
    page.get_by_label("CSV", exact=True).check()
    page.locator("#export-save summary").click()
    save = page.locator("#export-save")
    save.get_by_label("Name").fill(name)
    save.get_by_label("Run it").select_option("weekly")
    save.locator("#id_save-run_time").fill("07:30")
    save.get_by_label("On (weekly)").select_option(label="Monday")
    save.get_by_label("E-mail me when it is ready").check()
    with page.expect_navigation():
        save.get_by_role("button", name="Save this export").click()


def saved_row(page, name: str):
    return page.locator("#result_list tbody tr", has=page.get_by_role("link", name=name, exact=True))


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("role", ["manager", "sales"])
def test_filter_save_as_scheduled_run_now_download_then_change_its_filters(
    page,
    live_server,
    settings,
    screenshot,
    role,
):
    settings.QUICK_EXPORT_LIMIT = 10_000
    log_in(page, live_server, role)
    query = filter_the_lead_list(page, live_server, screenshot, f"saved-{role}")
    spec = lead_filters_normalize(filters=query)
    expected = list(lead_list(filters=spec).values_list("pk", flat=True))
    assert 5 < len(expected) < Lead.objects.count()

    # Export → "Save this export…", weekly on Mondays at 07:30, with an e-mail.
    open_export_page(page, query, len(expected))
    page.locator("#export-save summary").click()
    look(page, screenshot, f"saved-{role}-1-export-page-save-open")
    page.locator("#export-save summary").click()
    save_as_weekly_export(page, "Busiest site, weekly")
    assert urlsplit(page.url).path == reverse("admin:exports_savedexport_changelist")
    assert "Saved as “Busiest site, weekly”" in page.locator(".messagelist").inner_text()
    saved = SavedExport.objects.get(owner__username=role)
    assert saved.filters == spec and saved.format == "csv"
    assert (saved.frequency, saved.weekday, saved.run_time.strftime("%H:%M")) == ("weekly", 0, "07:30")
    assert saved.email_on_completion and saved.next_run_at is not None
    assert not Export.objects.exists()  # saving does not export

    # The list: last run, last result, next run, and the row's own buttons.
    assert page.locator("h1").inner_text() == "Saved exports"
    row = saved_row(page, "Busiest site, weekly")
    assert row.locator(".field-last_run").inner_text() == "Never"
    assert row.locator(".field-next_run").inner_text() not in ("", "-", "Not scheduled")
    lead_list_url = f"{reverse('admin:leads_lead_changelist')}?{spec_to_query_string(spec)}"
    assert row.get_by_role("link", name="Open in lead list").get_attribute("href") == lead_list_url
    look(page, screenshot, f"saved-{role}-2-saved-list")

    # Run now, then download from the export history.
    with page.expect_navigation():
        row.get_by_role("button", name="Run now").click()
    assert f"{len(expected):,} rows exported" in page.locator(".messagelist").inner_text()
    row = saved_row(page, "Busiest site, weekly")
    assert row.locator(".field-last_result").inner_text() == "Completed"
    assert row.locator(".field-last_run").inner_text() != "Never"
    export = Export.objects.get(saved_export=saved)
    assert export.status == ExportStatus.COMPLETED and export.filters == spec

    page.goto(f"{live_server.url}{reverse('admin:exports_export_changelist')}")
    look(page, screenshot, f"saved-{role}-3-history")
    history_row = page.locator("#result_list tbody tr", has=page.locator(f'[data-export-id="{export.pk}"]'))
    with page.expect_download() as download_info:
        history_row.get_by_role("button", name="Download").click()
    assert csv_ids(download_info.value.path()) == expected  # exactly the filtered list's leads

    # The export's own page says its filters in words and links back to the lead list.
    page.goto(f"{live_server.url}{reverse('admin:exports_export_change', args=[export.pk])}")
    filters_row = page.locator(".field-filter_spec")
    assert "Status: New, Contacted" in filters_row.inner_text()
    assert "status=" not in filters_row.inner_text()
    look(page, screenshot, f"saved-{role}-4-export-record")
    with page.expect_navigation():
        filters_row.get_by_role("link", name="Open in lead list").click()
    assert page.locator("#result_list tbody tr").count() == min(50, len(expected))

    # Change its filters on its own page, with the sidebar's controls: drop "Contacted", raise the minimum price.
    page.goto(f"{live_server.url}{reverse('admin:exports_savedexport_change', args=[saved.pk])}")
    status = page.locator('.lead-spec fieldset[data-filter-title="status"]')
    assert status.get_by_label("New", exact=True).is_checked()
    assert status.get_by_label("Contacted", exact=True).is_checked()
    assert not status.get_by_label("Qualified", exact=True).is_checked()
    price = page.locator('.lead-spec fieldset[data-filter-title="price"]')
    assert price.get_by_label("Min ($)").input_value() == "50"
    look(page, screenshot, f"saved-{role}-5-change-page")
    status.get_by_label("Contacted", exact=True).uncheck()
    price.get_by_label("Min ($)").fill("100")
    # Its columns with the export page's picker: Price moves above Description, Category is dropped.
    columns = page.locator("#export-columns")
    columns.get_by_role("button", name="Move Price up").click()
    columns.get_by_label("Category", exact=True).uncheck()
    if role == "manager":  # contact columns appear once contact information is included
        assert not columns.locator('li[data-column="email"]').is_visible()
        page.get_by_label("Include contact information").check()
        columns.get_by_label("E-mail", exact=True).check()
    chosen = [key for key in saved.columns if key != "category"]
    description, price_at = chosen.index("description"), chosen.index("price")
    assert price_at == description + 1
    chosen[description], chosen[price_at] = "price", "description"
    if role == "manager":
        chosen.append("email")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    assert urlsplit(page.url).path == reverse("admin:exports_savedexport_changelist")
    saved.refresh_from_db()
    assert saved.filters == {**spec, "status": ["new"], "min_price": "100"}
    assert saved.columns == chosen
    assert saved.include_contact_info == (role == "manager")

    # And in the lead list: its sidebar, then Export → "Update saved export".
    page.goto(f"{live_server.url}{reverse('admin:exports_savedexport_change', args=[saved.pk])}")
    with page.expect_navigation():
        page.get_by_role("link", name="Edit filters in the lead list").click()
    assert (
        "You are changing the saved export “Busiest site, weekly”" in page.locator("#saved-export-editing").inner_text()
    )
    sidebar(page, "status").get_by_role("checkbox", name="Qualified", exact=True).click()
    page.wait_for_url("**status=new%2Cqualified*")
    look(page, screenshot, f"saved-{role}-6-lead-list-editing")
    with page.expect_navigation():
        page.locator("#export-all-link").click()
    look(page, screenshot, f"saved-{role}-7-update-saved-export")
    with page.expect_navigation():
        page.get_by_role("button", name="Update saved export “Busiest site, weekly”").click()
    saved.refresh_from_db()
    assert saved.filters["status"] == ["new", "qualified"]
    assert saved.frequency == "weekly"  # the schedule is kept
