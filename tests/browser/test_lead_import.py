"""The lead import in Chromium, as a Sales manager does it: a file with a bad row, then the corrected file, confirmed.

Leaves import-errors.png and import-preview.png in $TEST_ARTIFACTS_DIR.
"""

import pytest
from django.urls import reverse

from leads.demo_users import demo_users_ensure
from leads.models import Lead, LeadImport, LeadImportStatus
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
