"""The dashboard's Outreach section: figures, links to the filtered message list, A/B test states."""

import pytest
from django.urls import reverse

from outreach.models import AutoResponseStatus
from tests.api.conftest import grant
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory, LocationFactory
from tests.outreach.abdata import messages
from tests.outreach.factories import ABTestFactory, AutoResponseFactory, TemplateVariantFactory

pytestmark = pytest.mark.django_db
URL = "/admin/dashboard/"


@pytest.fixture
def data(settings):
    settings.AB_TEST_MIN_SAMPLE = 50
    test = ABTestFactory(name="Greeting test")
    a = TemplateVariantFactory(template=test.template, name="Short")
    b = TemplateVariantFactory(template=test.template, name="Long")
    messages(test, a, sent=100, replied=40, converted=10)
    messages(test, b, sent=100, replied=10)
    boston = LocationFactory(name="Boston", site_code="boston")
    AutoResponseFactory(lead=LeadFactory(location=boston), status=AutoResponseStatus.BOUNCED)
    return test, a, b


def test_the_section_shows_rates_by_variant_and_the_test_state(admin_client, data):
    test, a, _ = data
    page = admin_client.get(URL).content.decode()

    assert 'id="dashboard-outreach"' in page and "Messages per day by outcome" in page
    assert "Greeting test" in page and "Winner" in page
    assert f"?template__id__exact={test.template_id}&amp;variant__id__exact={a.pk}" in page
    assert reverse("admin:outreach_abtest_change", args=[test.pk]) in page
    assert "40.0 %" in page  # Short's reply rate


def test_its_links_open_exactly_the_messages_behind_the_figure(admin_client, data):
    test, a, _ = data
    listed = admin_client.get(
        reverse("admin:outreach_autoresponse_changelist")
        + f"?template__id__exact={test.template_id}&variant__id__exact={a.pk}&status__exact=replied"
    )
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 40


def test_the_filters_select_the_leads_whose_messages_count(admin_client, data):
    context = admin_client.get(URL + "?location_names=Boston").context
    figures = context["outreach"]["figures"]
    assert (figures["total"], figures["bounced"], figures["sent"]) == (1, 1, 0)


def test_hidden_from_users_who_may_not_see_messages(client, data):
    user = grant(UserFactory(username="viewer"), "leads.view_lead")
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200 and 'id="dashboard-outreach"' not in response.content.decode()
