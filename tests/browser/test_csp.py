"""The Content-Security-Policy breaks nothing: the admin, the dashboard's Chart.js and the API docs run
in Chromium with no CSP violation reported on the console or as a securitypolicyviolation event."""

import pytest

from tests.factories import LeadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("/admin/", "#content-main"),
    ("/admin/leads/lead/?status=new", "#result_list"),
    ("/admin/leads/lead/{lead}/change/", "#lead_form"),
    ("/admin/leads/location/{location}/change/", "#content-main"),
    ("/admin/leads/scraperun/", "#content-main"),
    ("/admin/dashboard/", "canvas"),
    ("/admin/exports/export/", "#content-main"),
    ("/admin/leads/lead/export/", "#export-count"),
    ("/admin/api-token/", "#content-main"),
    ("/api/docs/", ".swagger-ui .info"),
]

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.mark.parametrize(("path", "selector"), PAGES, ids=[path for path, _ in PAGES])
def test_pages_run_under_the_policy_without_violations(staff_page, live_server, path, selector, screenshot):
    lead = LeadFactory(status="new")
    staff_page.add_init_script(WATCH_VIOLATIONS)
    console = []
    staff_page.on("console", lambda message: console.append(message.text))
    response = staff_page.goto(f"{live_server.url}{path.format(lead=lead.pk, location=lead.location_id)}")
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    staff_page.wait_for_selector(selector, state="attached")
    staff_page.wait_for_load_state("networkidle")
    violations = staff_page.evaluate("window.__cspViolations")
    csp_console = [text for text in console if "Content Security Policy" in text or "Content-Security-Policy" in text]
    if violations or csp_console:
        screenshot(staff_page, f"csp-violation-{path.strip('/').replace('/', '-') or 'index'}")
    assert violations == [] and csp_console == [], (violations, csp_console)


def test_chart_js_draws_on_the_dashboard_under_the_policy(staff_page, live_server):
    LeadFactory.create_batch(3, status="new")
    staff_page.goto(f"{live_server.url}/admin/dashboard/")
    staff_page.wait_for_load_state("networkidle")
    # Chart.js registers each chart it draws; none would exist if its script were blocked.
    drawn = staff_page.evaluate("window.Chart ? Object.keys(window.Chart.instances).length : -1")
    assert drawn > 0
