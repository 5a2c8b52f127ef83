"""The lead import in Chromium, as a Sales manager does it: a file with a bad row, then the corrected file, confirmed.

Leaves import-errors.png and import-preview.png in $TEST_ARTIFACTS_DIR.
"""

import csv

import openpyxl
import pytest
from django.urls import reverse

from leads.demo_users import demo_users_ensure
from leads.models import Lead, LeadImport, LeadImportStatus
from leads.selectors import lead_list
from tests.browser.test_journeys import demo, filter_the_lead_list, log_in, open_export_page  # noqa: F401
from tests.factories import CategoryFactory, LocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "import-pass-word-123"
HEADER = "Post ID,Location,Category,Title,Status,E-mail\n"
ROWS = "9001,SF bay area,for sale,Oak table,New,pat@example.com\n9002,sfbay,sss,Bike,Contacted,\n"


def test_a_manager_sees_a_rows_error_in_the_row_then_imports_the_corrected_file(
    page, live_server, screenshot, tmp_path, settings
):
    settings.LEAD_IMPORT_DIRECTORY = tmp_path / "imports"
    LocationFactory(name="SF bay area", site_code="sfbay")
    CategoryFactory(name="for sale", code="sss")
    demo_users_ensure(password=PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}{reverse('admin:leads_lead_changelist')}")
    with page.expect_navigation():
        page.get_by_role("link", name="Import", exact=True).click()
    assert page.locator("ol.breadcrumbs li").all_inner_texts() == ["Home", "Leads", "Leads", "Import"]

    bad = tmp_path / "leads.csv"
    bad.write_text(HEADER + ROWS + "9003,atlantis,sss,Lamp,New,\n")
    page.set_input_files("#id_import_file", str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    row = page.locator('tr[data-row="3"]')
    assert "unknown location “atlantis”" in row.inner_text()
    assert page.locator("#import-confirm-form").count() == 0
    screenshot(page, "import-errors")

    good = tmp_path / "leads-fixed.csv"
    good.write_text(HEADER + ROWS)
    page.set_input_files("#id_import_file", str(good))
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    assert "2 rows: 2 new, 0 updated, 0 unchanged" in page.locator("#import-summary").inner_text()
    screenshot(page, "import-preview")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm import").click()

    assert "Import finished: 2 new, 0 updated, 0 unchanged leads." in page.locator(".messagelist").inner_text()
    assert sorted(Lead.objects.values_list("title", flat=True)) == ["Bike", "Oak table"]
    assert LeadImport.objects.get().status == LeadImportStatus.COMPLETED


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("format", ["CSV", "Excel"])
def test_a_manager_re_imports_the_file_a_normal_export_gave_with_one_status_changed(
    format, page, live_server, screenshot, tmp_path, settings
):
    """The export's readable file (labels, names, "Found at (zone)") goes back in as it came out."""
    settings.LEAD_IMPORT_DIRECTORY = tmp_path / "imports"
    settings.QUICK_EXPORT_LIMIT = 10_000
    log_in(page, live_server, "manager")
    query = filter_the_lead_list(page, live_server, screenshot, f"reimport-{format.lower()}")
    expected = lead_list(filters=query).count()
    open_export_page(page, query, expected)
    page.get_by_label(format, exact=True).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name=f"Export {expected:,} leads").click()
    edited, lead_id = _first_status_moved(download_info.value.path(), format=format, folder=tmp_path)

    page.goto(f"{live_server.url}{reverse('admin:leads_lead_import')}")
    page.set_input_files("#id_import_file", str(edited))
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    summary = f"{expected:,} rows: 0 new, 1 updated, {expected - 1:,} unchanged"
    assert summary in page.locator("#import-summary").inner_text()
    screenshot(page, f"reimport-{format.lower()}-preview")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm import").click()

    assert "Import finished: 0 new, 1 updated" in page.locator(".messagelist").inner_text()
    assert Lead.objects.get(pk=lead_id).status == "rejected"


def _first_status_moved(path, *, format: str, folder):
    """The downloaded file with its first lead's status set to Rejected (as a person edits it); and that lead's id."""
    if format == "CSV":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header, *rows = csv.reader(handle)
        rows[0][header.index("Status")] = "Rejected"
        edited = folder / "edited.csv"
        with open(edited, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *rows])
        return edited, int(rows[0][header.index("ID")])
    with open(path, "rb") as handle:  # the download's own path has no extension
        workbook = openpyxl.load_workbook(handle)
    sheet = workbook["Leads"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("Status") + 1, value="Rejected")
    edited = folder / "edited.xlsx"
    workbook.save(edited)
    return edited, int(sheet.cell(row=2, column=header.index("ID") + 1).value)
