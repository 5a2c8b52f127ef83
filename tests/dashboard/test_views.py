"""The analytics dashboard page: renders, follows the filters, shows bad filters, checks permissions."""

import datetime
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from exports.models import Export, ExportStatus
from leads.models import ScrapeRun
from tests.exports.factories import ExportFactory, UserFactory
from tests.factories import LeadFactory, ScrapeRunFactory

pytestmark = pytest.mark.django_db
URL = "/admin/dashboard/"


def chart_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="dashboard-chart-data" type="application/json">') + len(
        '<script id="dashboard-chart-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


@pytest.fixture
def data(db):
    for status, count in (("new", 3), ("contacted", 2), ("converted", 1)):
        LeadFactory.create_batch(count, status=status)
    ScrapeRunFactory(status="failed", error="Blocked by Craigslist (HTTP 403)")
    ScrapeRunFactory(status="success")


def test_url_name_and_links_from_the_admin(admin_client, data):
    assert reverse("dashboard:index") == URL
    index = admin_client.get("/admin/").content.decode()
    assert f'href="{URL}"' in index  # the card on the index and the header link
    assert 'id="dashboard-link"' in index and 'id="dashboard-card"' in index


def test_renders_cards_charts_and_tables(admin_client, data):
    response = admin_client.get(URL)

    assert response.status_code == 200
    assert response.templates[0].name == "dashboard/index.html"
    context = response.context
    assert context["leads"]["totals"]["leads"] == 6
    assert context["scraping"]["runs"]["total"] == 2
    charts = chart_data(response)
    assert set(charts) == {
        "chart-funnel",
        "chart-over-time",
        "chart-locations",
        "chart-categories",
        "chart-contact",
        "chart-prices",
        "chart-scrape-runs",
    }
    assert charts["chart-funnel"]["datasets"][0]["data"] == [6, 3, 1, 1]
    html = response.content.decode()
    for canvas_id in charts:
        assert f'<canvas id="{canvas_id}" role="img"' in html
    assert html.count('<details class="dashboard-data">') == len(charts)  # a table under every chart
    assert "Blocked by Craigslist (HTTP 403)" in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "dashboard/dashboard.js" in html
    assert "cdn" not in html.lower()


def test_every_figure_follows_the_filter(admin_client, data):
    response = admin_client.get(URL, {"status": "converted"})

    assert response.context["leads"]["totals"]["leads"] == 1
    assert response.context["spec"] == {"status": ["converted"]}
    assert chart_data(response)["chart-funnel"]["datasets"][0]["data"] == [1, 1, 1, 1]
    assert response.context["form"]["status"].value() == ["converted"]  # the bar shows the filter it applied


def test_breakdown_links_open_the_lead_list_for_that_slice(admin_client, data):
    response = admin_client.get(URL, {"has_phone": "true"})
    funnel = chart_data(response)["chart-funnel"]
    converted_link = funnel["links"][3]

    assert urlsplit(converted_link).path == reverse("admin:leads_lead_changelist")
    assert parse_qs(urlsplit(converted_link).query) == {"has_phone": ["true"], "status": ["converted"]}
    changelist = admin_client.get(converted_link)
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 1


def test_invalid_filters_show_field_errors_not_figures(admin_client, data):
    response = admin_client.get(URL, {"date_from": "31/12/2026", "min_price": "-5", "status": "won"})

    assert response.status_code == 200
    assert response.context["invalid"] is True
    assert set(response.context["form"].errors) == {"date_from", "min_price", "status"}
    html = response.content.decode()
    assert "Enter a valid date as YYYY-MM-DD." in html
    assert "dashboard-chart-data" not in html
    assert "Fix the fields marked above" in html


def test_empty_database_is_a_friendly_state(admin_client):
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="dashboard-empty"' in html
    assert "No leads yet" in html


def test_filters_that_match_nothing_say_so(admin_client, data):
    response = admin_client.get(URL, {"keywords": "no-such-word-anywhere"})
    html = response.content.decode()
    assert 'id="dashboard-no-leads"' in html
    assert "chart-funnel" not in chart_data(response)


def test_recent_exports_are_listed(admin_client, data):
    ExportFactory(status=ExportStatus.FAILED, error_message="Disk full", created_by=UserFactory(username="carol"))
    response = admin_client.get(URL)
    assert response.context["exports"]["exports"]["failed"] == 1
    assert "carol" in response.content.decode()


def test_staff_without_view_lead_is_refused(client):
    client.force_login(UserFactory(username="clerk"))
    assert client.get(URL).status_code == 403


def test_staff_with_view_lead_may_look(client, data):
    user = UserFactory(username="manager")
    user.user_permissions.add(Permission.objects.get(codename="view_lead", content_type__app_label="leads"))
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    # Their own exports only; no link to the scrape-run admin they may not open.
    assert response.context["exports"]["scope"] == "own"
    assert "/admin/leads/scraperun/" not in response.content.decode()


def test_anonymous_and_non_staff_go_to_the_login(client):
    assert client.get(URL)["Location"].startswith("/admin/login/")
    client.force_login(UserFactory(username="outsider", is_staff=False))
    assert client.get(URL)["Location"].startswith("/admin/login/")


def test_query_count_does_not_grow_with_the_data(admin_client, data, django_assert_max_num_queries):
    # A budget for the lead, scraping, export, outreach and rules panels together; the first request
    # also builds the lead and message rollups (seven statements for the messages').
    with django_assert_max_num_queries(52) as small:
        admin_client.get(URL)
    LeadFactory.create_batch(30)
    ScrapeRunFactory.create_batch(10, status="failed")
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_client.get(URL)


def test_the_filter_bar_shows_the_canonical_spec(admin_client, data):
    response = admin_client.get(URL, {"has_email": "yes", "status": "new,contacted", "categories": "For Sale"})

    form = response.context["form"]
    assert form["has_email"].value() == "true"  # "yes" reads as true and shows as "Yes"
    assert form["status"].value() == ["new", "contacted"]
    html = response.content.decode()
    assert '<option value="true" selected>Yes</option>' in html
    # A category typed by name (not one of the codes offered) stays selected, so it is resubmitted.
    assert '<option value="For Sale" selected>For Sale</option>' in html
    assert response.context["more_open"] is False


def test_more_filters_open_when_one_of_them_is_set(admin_client, data):
    assert admin_client.get(URL, {"keywords": "bike"}).context["more_open"] is True


def test_scraping_by_location_links_open_exactly_those_runs(admin_client, data):
    old = ScrapeRunFactory(status="success")
    ScrapeRun.objects.filter(pk=old.pk).update(started_at=timezone.now() - datetime.timedelta(days=60))
    date_from = (timezone.localdate() - datetime.timedelta(days=29)).isoformat()
    response = admin_client.get(URL, {"date_from": date_from})
    (table,) = [table for table in response.context["scrape_tables"] if table.key == "scrape-locations"]
    entries = response.context["scraping"]["by_location"]

    for entry, row in zip(entries, table.rows, strict=True):
        runs = admin_client.get(row.link).context["cl"]
        assert runs.result_count == entry["runs"]
        assert {run.location_id for run in runs.queryset} == {entry["id"]}
    assert sum(entry["runs"] for entry in entries) == 2  # the 60-day-old run is outside the period


def test_the_exports_cards_open_the_history_of_the_period(admin_client, data):
    ExportFactory(status=ExportStatus.FAILED)
    ExportFactory(status=ExportStatus.COMPLETED)
    old = ExportFactory(status=ExportStatus.FAILED)
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=60))
    date_from = (timezone.localdate() - datetime.timedelta(days=29)).isoformat()

    response = admin_client.get(URL, {"date_from": date_from})
    cards = {card.label: card for card in response.context["export_cards"]}

    for label, expected in (("Exports", 2), ("Failed exports", 1)):
        history = admin_client.get(cards[label].link, follow=True)
        assert history.context["cl"].result_count == expected, label
    assert response.context["exports"]["exports"]["total"] == 2
