"""Every page, for every demo role, fits a 1280 px window and up; screenshots at 1280 and 1920 px.

Only boxes marked `data-scroll-box` (the export and import previews) may scroll inside themselves;
everything else must show all its columns and labels. Screenshots go to
<TEST_ARTIFACTS_DIR>/pages/<role>-<page>-<width>.png for a person to look at.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from exports.models import ExportStatus, SavedExport
from leads.admin.suppression_admin import ERASE_PERSON
from leads.demo_data.seeding import demo_data_seed
from leads.demo_users import demo_users_ensure
from leads.duplicates.models import DuplicateGroup
from leads.models import Lead, Location, ScrapeRun
from leads.signals import demo_data_seeded
from tests.browser.conftest import save_screenshot
from tests.browser.page_fit import fit_problems
from tests.exports.factories import ExportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "page-fit-password"
CHECKED_WIDTHS = (1280, 1400, 1920)
SCREENSHOT_WIDTHS = (1280, 1920)
ROLES = ("admin", "manager", "sales")
# The admin pages of the ingest, do-not-contact and outreach models: list, add and the first
# record's page, for every role whose admin allows them.
MODEL_PAGES = (
    "leads.Suppression",
    "ingest.Scraper",
    "rules.Rule",
    "rules.RuleExecution",
    "rules.RuleLeadOutcome",
    "outreach.ResponseTemplate",
    "outreach.ABTest",
    "outreach.AutoResponse",
    "operations.ScheduleExecution",
)


def role_pages(role: str) -> dict[str, str]:
    """The pages each role can open, by a short name."""
    lead = Lead.objects.order_by("pk").first()
    export = role_export(role)
    pages = {
        "home": reverse("admin:index"),
        "lead-list": reverse("admin:leads_lead_changelist"),
        "lead-list-filtered": reverse("admin:leads_lead_changelist") + "?status=new,contacted&has_email=true",
        "lead-detail": reverse("admin:leads_lead_change", args=[lead.pk]),
        "export-page": reverse("admin:leads_lead_export") + "?status=new",
        "export-history": reverse("admin:exports_export_changelist"),
        "export-detail": reverse("admin:exports_export_change", args=[export.pk]),
        "dashboard": "/admin/dashboard/",
        "api-token": reverse("api-token"),
        "locations": reverse("admin:leads_location_changelist"),
        "categories": reverse("admin:leads_category_changelist"),
        "scrape-runs": reverse("admin:leads_scraperun_changelist"),
        "scrape-run-detail": reverse("admin:leads_scraperun_change", args=[ScrapeRun.objects.first().pk]),
        "location-detail": reverse("admin:leads_location_change", args=[Location.objects.first().pk]),
    }
    # Every role keeps its own saved exports.
    pages["saved-exports"] = reverse("admin:exports_savedexport_changelist")
    pages["saved-export-add"] = reverse("admin:exports_savedexport_add")
    pages["saved-export-detail"] = reverse(
        "admin:exports_savedexport_change", args=[SavedExport.objects.get(owner__username=role).pk]
    )
    pages["duplicates"] = reverse("duplicates:list")
    group = DuplicateGroup.objects.order_by("pk").first()
    if group is not None:
        pages["duplicate-group"] = reverse("duplicates:group", args=[group.pk])
    pages.update(model_pages(role))
    if role == "admin":
        pages["lead-import"] = reverse("admin:leads_lead_import")
        pages["users"] = reverse("admin:auth_user_changelist")
    return pages


def model_pages(role: str) -> dict[str, str]:
    """The list, add and first-record pages of MODEL_PAGES this role's admin lets it open."""
    from django.contrib.auth import get_user_model

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(username=role)
    pages = {}
    for label in MODEL_PAGES:
        model = apps.get_model(label)
        model_admin = admin.site._registry[model]
        if not model_admin.has_view_permission(request):
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        name = model._meta.model_name
        pages[f"{name}-list"] = reverse(f"{prefix}_changelist")
        if model_admin.has_add_permission(request):
            pages[f"{name}-add"] = reverse(f"{prefix}_add")
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            pages[f"{name}-detail"] = reverse(f"{prefix}_change", args=[first.pk])
    if request.user.has_perm(ERASE_PERSON):
        pages["erase-person"] = reverse("admin:leads_suppression_erase")
    return pages


def role_export(role: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=role).exports.order_by("created_at").last()


@pytest.fixture
def demo_site(transactional_db):
    demo_data_seed(leads=400, seed=11)
    demo_users_ensure(password=PASSWORD)
    # What seed_demo adds beside the leads: rules, templates, A/B tests and auto-responses.
    demo_data_seeded.send(sender=None, seed=11)
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(username__in=ROLES):
        ExportFactory(created_by=user, status=ExportStatus.PENDING)
        ExportFactory(created_by=user, status=ExportStatus.FAILED, error_message="The disk was full.")
        ExportFactory(created_by=user, completed=True, file_content=b"a,b\n", row_count=1)
        SavedExport.objects.create(
            name=f"Weekly new leads with a long descriptive name for {user.username}",
            owner=user,
            filters={"status": ["new"], "location_names": ["sfbay", "newyork"]},
            frequency="weekly",
            weekday=0,
        )


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_the_window_for(role, browser, live_server, demo_site):
    context = browser.new_context(viewport={"width": CHECKED_WIDTHS[0], "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        log_in(page, live_server, role)
        problems = []
        for name, path in role_pages(role).items():
            for width in CHECKED_WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(f"{live_server.url}{path}")
                assert response.status == 200, f"{role} could not open {name} ({path}): {response.status}"
                page.wait_for_load_state("networkidle")
                problems += [f"{name} at {width}px: {problem}" for problem in fit_problems(page)]
                if width in SCREENSHOT_WIDTHS:
                    save_screenshot(page, f"pages/{role}-{name}-{width}")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
