"""The dashboard in a real browser: the charts are drawn, and a filter changes them.

Uses the shared fixtures of tests/browser/conftest.py: `live_server`, `staff_page`
(a logged-in Playwright page) and `screenshot`.
"""

import pytest

from leads.demo_data import demo_data_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_IDS = [
    "chart-funnel",
    "chart-over-time",
    "chart-locations",
    "chart-categories",
    "chart-contact",
    "chart-prices",
    "chart-scrape-runs",
]

CHART_STATE = """() => Object.fromEntries(
    Array.from(document.querySelectorAll("canvas[id^='chart-']")).map((canvas) => {
        const chart = window.Chart && window.Chart.getChart(canvas);
        return [canvas.id, chart ? {
            type: chart.config.type,
            width: canvas.width,
            height: canvas.height,
            labels: chart.data.labels,
            data: chart.data.datasets.map((dataset) => dataset.data),
        } : null];
    })
)"""


def charts_drawn(page, count: int) -> dict:
    page.wait_for_function(f"document.body.dataset.dashboardCharts === '{count}'")
    return page.evaluate(CHART_STATE)


def test_charts_render_and_a_filter_changes_them(live_server, staff_page, screenshot):
    demo_data_seed(leads=3000, runs=60, seed=4)
    page = staff_page
    page.set_viewport_size({"width": 1400, "height": 1000})

    page.goto(f"{live_server.url}/admin/dashboard/")
    before = charts_drawn(page, len(CHART_IDS))

    assert sorted(before) == sorted(CHART_IDS)
    for chart_id, state in before.items():
        assert state is not None, f"{chart_id} has no Chart instance"
        assert state["width"] > 0 and state["height"] > 0
        assert any(any(value for value in values) for values in state["data"]), f"{chart_id} drew no figure"
    assert before["chart-funnel"]["type"] == "bar"
    assert before["chart-contact"]["type"] == "doughnut"
    assert sum(before["chart-contact"]["data"][0]) == 3000
    screenshot(page, "dashboard")

    page.check("input[name='status'][value='converted']")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**status=converted**")
    after = charts_drawn(page, len(CHART_IDS))

    assert "date_from" not in page.url  # blank fields are left out of the URL
    converted = before["chart-funnel"]["data"][0][-1]
    assert after["chart-funnel"]["data"][0] == [converted] * 4
    assert sum(after["chart-contact"]["data"][0]) == converted < 3000
    assert after["chart-locations"]["data"] != before["chart-locations"]["data"]
    assert page.locator("input[name='status'][value='converted']").is_checked()
    screenshot(page, "dashboard-converted")


def test_a_bad_filter_shows_its_error_in_the_page(live_server, staff_page):
    page = staff_page
    page.goto(f"{live_server.url}/admin/dashboard/?min_price=-1")
    assert (
        page.locator(".field-min_price .errorlist").inner_text() == "Ensure this value is greater than or equal to 0."
    )
    assert page.locator("canvas").count() == 0


def test_an_empty_database_shows_the_empty_state(live_server, staff_page):
    page = staff_page
    page.goto(f"{live_server.url}/admin/dashboard/")
    assert page.locator("#dashboard-empty h2").inner_text() == "No leads yet"
