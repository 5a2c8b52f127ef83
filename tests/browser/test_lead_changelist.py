"""The lead changelist in Chromium: filter from the sidebar by clicking and typing, then act on rows."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from leads.demo_data.seeding import demo_data_seed
from leads.models import Lead, LeadStatus, Location
from leads.selectors import lead_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_leads(transactional_db):
    demo_data_seed(leads=600, seed=7)
    return Lead.objects.count()


def sidebar_section(page, title: str):
    return page.locator(f'#changelist-filter details[data-filter-title="{title}"]')


def row_texts(page, column: str) -> list[str]:
    return [text.strip() for text in page.locator(f"#result_list tbody .field-{column}").all_inner_texts()]


def test_filter_leads_from_the_sidebar(staff_page, live_server, demo_leads, screenshot):
    page = staff_page
    sf = Location.objects.get(site_code="sfbay")
    page.goto(f"{live_server.url}{reverse('admin:leads_lead_changelist')}")
    assert page.locator("#result_list tbody tr").count() == 50

    status = sidebar_section(page, "status")
    status.get_by_role("checkbox", name="New", exact=True).click()
    page.wait_for_url("**status=new")
    sidebar_section(page, "status").get_by_role("checkbox", name="Contacted", exact=True).click()
    page.wait_for_url("**status=new%2Ccontacted*")
    sidebar_section(page, "location").get_by_role("checkbox", name="SF bay area", exact=True).click()
    page.wait_for_url(f"**location_ids={sf.pk}*")

    price = sidebar_section(page, "price")
    price.get_by_label("Min ($)").fill("100")
    price.get_by_label("Max ($)").fill("2500")
    with page.expect_navigation():
        price.get_by_role("button", name="Apply").click()

    query = QueryDict(urlsplit(page.url).query)
    # Empty inputs stay out of the URL; what is left is the filter spec itself.
    assert dict(query.lists()) == {
        "status": ["new,contacted"],
        "location_ids": [str(sf.pk)],
        "min_price": ["100"],
        "max_price": ["2500"],
    }
    expected = list(lead_list(filters=query)[:50])
    assert expected, "the demo data should have leads for this filter"
    assert row_texts(page, "title") == [lead.title for lead in expected]
    assert set(row_texts(page, "status_badge")) <= {"New", "Contacted"}
    assert set(row_texts(page, "location")) == {"SF bay area"}
    for shown in row_texts(page, "price_display"):
        assert Decimal("100") <= Decimal(shown.lstrip("$").replace(",", "")) <= Decimal("2500")
    # The sidebar shows the choices it applied.
    assert status.locator("li.selected").all_inner_texts() == ["New", "Contacted"]
    assert price.get_by_label("Min ($)").input_value() == "100"

    screenshot(page, "test_filter_leads_from_the_sidebar", full_page=False)
    page.emulate_media(color_scheme="dark")
    page.reload()
    screenshot(page, "test_filter_leads_from_the_sidebar-dark", full_page=False)


def test_mark_selected_leads_as_qualified(staff_page, live_server, demo_leads, screenshot):
    page = staff_page
    page.goto(f"{live_server.url}{reverse('admin:leads_lead_changelist')}?status=new&has_email=true")
    checkboxes = page.locator("#result_list tbody input.action-select")
    picked = {int(checkboxes.nth(index).get_attribute("value")) for index in range(2)}
    for index in range(2):
        checkboxes.nth(index).check()
    page.locator("select[name=action]").select_option(label="Mark selected leads as qualified")
    with page.expect_navigation():
        page.get_by_role("button", name="Run").click()

    assert page.locator(".messagelist .success").inner_text() == "Marked 2 leads as qualified."
    assert set(Lead.objects.filter(status=LeadStatus.QUALIFIED, pk__in=picked).values_list("pk", flat=True)) == picked
    # Still on the filtered list, which no longer holds them.
    assert "status=new" in page.url
    shown = {
        int(value)
        for value in page.locator("#result_list tbody input.action-select").evaluate_all(
            "boxes => boxes.map(box => box.value)"
        )
    }
    assert not picked & shown
    screenshot(page, "test_mark_selected_leads_as_qualified", full_page=False)


def test_open_a_lead_change_its_status_and_return_to_the_filtered_list(staff_page, live_server, demo_leads, screenshot):
    page = staff_page
    list_url = f"{live_server.url}{reverse('admin:leads_lead_changelist')}?status=new&has_phone=true"
    page.goto(list_url)
    first = page.locator("#result_list tbody tr").first
    pk = int(first.locator("input.action-select").get_attribute("value"))
    with page.expect_navigation():
        first.locator(".field-title a").click()

    lead = Lead.objects.get(pk=pk)
    assert page.locator("h2", has_text="Craigslist post").count() == 1
    assert page.get_by_role("link", name="Open on Craigslist ↗").get_attribute("href") == lead.url
    screenshot(page, "test_open_a_lead_change_its_status_and_return_to_the_filtered_list-detail")

    page.select_option("#id_status", LeadStatus.CONTACTED)
    with page.expect_navigation():
        page.locator("input[name=_save]").click()

    # Back on the list it came from, with its filters.
    assert QueryDict(urlsplit(page.url).query) == QueryDict("status=new&has_phone=true")
    assert page.locator(".messagelist .success").count() == 1
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONTACTED
