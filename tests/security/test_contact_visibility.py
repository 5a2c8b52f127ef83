"""Contact details (e-mail, phone, contact name) only for users with "Can view contact information".

The demo "sales" login (Sales staff) lacks it, the "manager" login has it. Without it: the list shows
whether a lead has an e-mail/phone but never the values, the lead page has neither values nor
inputs, the search box does not match contact fields, and scraped fields are read-only.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from leads.contact_access import contact_info_visible, scraped_data_editable
from leads.demo_users import demo_users_ensure
from leads.models import Lead, LeadStatus
from leads.web_urls import safe_web_url
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

LEADS = reverse("admin:leads_lead_changelist")
SECRET_EMAIL = "hidden.person@contact.example"
SECRET_PHONE = "415-555-0199"
SECRET_PHONE_E164 = "+14155550199"  # how it is stored (leads.contact_normalisation)
SECRET_NAME = "Secretia Contactson"


@pytest.fixture
def users(db):
    demo_users_ensure(password="contact-visibility-123")
    model = get_user_model()
    return {name: model.objects.get(username=name) for name in ("sales", "manager", "admin")}


@pytest.fixture
def lead(db):
    return LeadFactory(email=SECRET_EMAIL, phone=SECRET_PHONE, contact_name=SECRET_NAME, title="Oak table")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def test_the_rule_follows_the_permission(users):
    assert not contact_info_visible(user=users["sales"])
    assert contact_info_visible(user=users["manager"]) and contact_info_visible(user=users["admin"])
    assert not scraped_data_editable(user=users["sales"]) and not scraped_data_editable(user=users["manager"])
    assert scraped_data_editable(user=users["admin"])


def test_sales_staff_see_that_a_lead_has_contact_details_but_not_the_values(users, lead):
    LeadFactory(email="", phone="", title="No contact lead")
    content = page(client_for(users["sales"]).get(LEADS))
    assert "Oak table" in content
    for secret in (SECRET_EMAIL, SECRET_PHONE, SECRET_PHONE_E164, SECRET_NAME):
        assert secret not in content
    assert "mailto:" not in content and "tel:" not in content
    assert content.count('title="Has e-mail"') == 1 and content.count('title="Has phone"') == 1
    assert 'title="No e-mail"' in content  # the lead without contact details


def test_who_may_see_contact_details_gets_the_links(users, lead):
    content = page(client_for(users["manager"]).get(LEADS))
    assert f"mailto:{SECRET_EMAIL}" in content and f"tel:{SECRET_PHONE_E164}" in content


def test_the_lead_page_has_no_contact_values_or_inputs_for_sales_staff(users, lead):
    url = reverse("admin:leads_lead_change", args=[lead.pk])
    content = page(client_for(users["sales"]).get(url))
    for secret in (SECRET_EMAIL, SECRET_PHONE, SECRET_PHONE_E164, SECRET_NAME):
        assert secret not in content
    for name in ("email", "phone", "contact_name"):
        assert f'name="{name}"' not in content
    manager = page(client_for(users["manager"]).get(url))
    assert 'name="email"' in manager and SECRET_EMAIL in manager


def test_scraped_fields_are_read_only_for_sales_staff_who_change_the_status(users, lead):
    url = reverse("admin:leads_lead_change", args=[lead.pk])
    content = page(client_for(users["sales"]).get(url))
    for name in ("title", "description", "url", "source_post_id", "price", "location", "category"):
        assert f'name="{name}"' not in content, name
    assert 'name="status"' in content
    response = client_for(users["sales"]).post(
        url,
        {
            "status": LeadStatus.QUALIFIED,
            "title": "Rewritten",
            "url": "https://evil.example/",
            "email": "attacker@evil.example",
            "phone": "000",
            "source_post_id": "x",
        },
    )
    assert response.status_code == 302, page(response)[:500]
    lead.refresh_from_db()
    assert lead.status == LeadStatus.QUALIFIED
    assert (lead.title, lead.email, lead.phone) == ("Oak table", SECRET_EMAIL, SECRET_PHONE_E164)
    assert lead.url != "https://evil.example/"


@pytest.mark.parametrize("term", ["hidden.person", "555-0199", "Secretia"])
def test_the_search_box_does_not_match_contact_fields_without_the_permission(users, lead, term):
    sales = client_for(users["sales"]).get(LEADS, {"q": term})
    assert sales.context["cl"].result_count == 0
    manager = client_for(users["manager"]).get(LEADS, {"q": term})
    assert list(manager.context["cl"].result_list) == [lead]


def test_the_search_help_says_what_is_searched(users, lead):
    assert "e-mail" not in client_for(users["sales"]).get(LEADS).context["cl"].search_help_text
    assert "e-mail" in client_for(users["manager"]).get(LEADS).context["cl"].search_help_text


def test_title_search_still_works_for_sales_staff(users, lead):
    response = client_for(users["sales"]).get(LEADS, {"q": "oak"})
    assert list(response.context["cl"].result_list) == [lead]


# Lead URLs: links only for http and https -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,<script>1</script>", "java\tscript:x"],
)
@pytest.mark.parametrize("viewer", ["admin", "sales"])  # an editable URL box, and the read-only field
def test_a_stored_non_web_url_is_shown_as_text_not_a_link(users, url, viewer):
    lead = LeadFactory()
    Lead.objects.filter(pk=lead.pk).update(url=url)  # as if stored before validation existed
    content = page(client_for(users[viewer]).get(reverse("admin:leads_lead_change", args=[lead.pk])))
    assert "Open on Craigslist" not in content
    assert 'href="javascript' not in content.lower() and 'href="data:' not in content


def test_an_http_url_is_a_link(users):
    lead = LeadFactory(url="https://sfbay.craigslist.org/sss/d/table/7800.html")
    content = page(client_for(users["sales"]).get(reverse("admin:leads_lead_change", args=[lead.pk])))
    assert 'href="https://sfbay.craigslist.org/sss/d/table/7800.html"' in content


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/x", "data:text/html,x", "//example.com"])
def test_the_model_refuses_non_web_urls(url):
    lead = LeadFactory.build(url=url)
    with pytest.raises(ValidationError) as caught:
        lead.full_clean(exclude=["location", "category", "scrape_run"])
    assert "url" in caught.value.message_dict


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/a", "https://x.example/a"),
        ("HTTP://x.example", "HTTP://x.example"),
        ("javascript:alert(1)", None),
        ("https://", None),
        ("", None),
        (None, None),
        ("https://x.exa\nmple/", None),
        (" https://x.example/ ", "https://x.example/"),
    ],
)
def test_safe_web_url(url, expected):
    assert safe_web_url(url) == expected
