"""The Duplicates page in Chromium: open a group, read which values win, merge it, then undo the merge."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from leads.duplicates.grouping import duplicates_find
from leads.models import Lead, LeadMerge, LeadStatus
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reposts(staff_user):
    category = CategoryFactory(code="fuo", name="furniture")
    now = timezone.now()
    first = LeadFactory(
        location=LocationFactory(site_code="sfbay", name="SF bay area"),
        category=category,
        title="Walnut dresser with mirror",
        description="Solid walnut, six drawers.",
        email="dana@example.com",
        phone="",
        scraped_at=now - datetime.timedelta(days=3),
    )
    repost = LeadFactory(
        location=LocationFactory(site_code="sacramento", name="Sacramento"),
        category=category,
        title="Walnut dresser with a mirror",
        description="Solid walnut, six drawers!",
        email="dana@example.com",
        phone="(916) 555-0142",
        status=LeadStatus.CONTACTED,
        scraped_at=now - datetime.timedelta(days=1),
    )
    LeadFactory(category=category, title="Glass coffee table", email="", phone="")
    duplicates_find()
    return first, repost


def test_merge_a_duplicate_group_and_undo_it(staff_page, live_server, reposts, screenshot):
    first, repost = reposts
    page = staff_page
    page.goto(f"{live_server.url}{reverse('duplicates:list')}")
    assert page.locator("#duplicate-groups tbody tr").count() == 1
    screenshot(page, "duplicates-list")

    page.locator("#duplicate-groups a").first.click()
    plan = page.locator("#merge-plan")
    assert "+19165550142" in plan.locator('tr[data-field="phone"]').inner_text()  # from the repost
    assert f"#{repost.pk}" in plan.locator('tr[data-field="status"]').inner_text()  # contacted wins over new
    screenshot(page, "duplicates-group-plan")

    page.get_by_role("button", name=f"Merge into lead #{first.pk}").click()
    page.wait_for_url(f"{live_server.url}{reverse('duplicates:list')}")
    assert f"into lead #{first.pk}" in page.locator(".messagelist").inner_text()
    first.refresh_from_db()
    assert (first.phone, first.status) == ("+19165550142", LeadStatus.CONTACTED)
    assert Lead.objects.get(pk=repost.pk).merged_into_id == first.pk
    screenshot(page, "duplicates-merged")

    page.get_by_role("button", name="Undo merge").click()
    page.wait_for_url(f"{live_server.url}{reverse('duplicates:list')}")
    assert "Undid the merge" in page.locator(".messagelist").inner_text()
    first.refresh_from_db()
    assert (first.phone, first.status) == ("", LeadStatus.NEW)
    assert LeadMerge.objects.get().undone_at is not None

    page.goto(f"{live_server.url}{reverse('admin:leads_lead_changelist')}?duplicates=repeated")
    assert page.locator("a.duplicate-group").count() == 2
