"""The lead changelist, its sidebar, actions and detail page, and the reference admins, through the admin views."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads.filters import LeadFilterSet
from leads.models import Lead, LeadStatus
from leads.rollups import rollups_refresh
from leads.selectors import lead_list
from tests.factories import CategoryFactory, LeadFactory, LocationFactory, ScrapeRunFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:leads_lead_changelist")


def day(iso: str, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(iso).replace(hour=hour))


@pytest.fixture
def catalogue():
    """Ten leads over three sites and three categories, varied in every filtered attribute."""
    sf = LocationFactory(name="SF bay area", site_code="sfbay")
    la = LocationFactory(name="Los Angeles", site_code="losangeles")
    ny = LocationFactory(name="New York City", site_code="newyork")
    sale = CategoryFactory(name="for sale", code="sss")
    cars = CategoryFactory(name="cars+trucks", code="cta")
    jobs = CategoryFactory(name="jobs", code="jjj")
    rows = [
        # title, location, category, price, status, email, phone, day found, description
        ("Oak dining table", sf, sale, "250", LeadStatus.NEW, True, True, "2026-03-01", "Solid oak, vintage"),
        ("Vintage road bike", sf, sale, "400", LeadStatus.CONTACTED, True, False, "2026-03-02", "Steel frame"),
        ("Honda Civic 2012", la, cars, "6500", LeadStatus.QUALIFIED, False, True, "2026-03-03", "Runs great"),
        ("Broken laptop", ny, sale, "40", LeadStatus.REJECTED, False, False, "2026-03-04", "For parts only"),
        ("Line cook wanted", ny, jobs, None, LeadStatus.NEW, True, True, "2026-03-05", "Full time, nights"),
        ("Toyota truck", la, cars, "12000", LeadStatus.CONVERTED, True, True, "2026-03-06", "4x4, vintage look"),
        ("Free couch", sf, sale, "0", LeadStatus.NEW, False, True, "2026-03-07", "Must go this week"),
        ("Vintage oak desk", la, sale, "180", LeadStatus.CONTACTED, True, False, "2026-03-08", "Desk with drawers"),
        ("Barista part time", sf, jobs, None, LeadStatus.QUALIFIED, True, True, "2026-03-09", "Weekend shifts"),
        ("Mountain bike", ny, sale, "650.50", LeadStatus.NEW, True, True, "2026-03-10", "Trek, barely used"),
    ]
    leads = {}
    for title, location, category, price, status, email, phone, found, description in rows:
        leads[title] = LeadFactory(
            title=title,
            location=location,
            category=category,
            price=Decimal(price) if price is not None else None,
            status=status,
            email=f"{title.split()[0].lower()}@example.com" if email else "",
            phone="415-555-0123" if phone else "",
            scraped_at=day(found),
            description=description,
        )
    return {"sf": sf, "la": la, "ny": ny, "sale": sale, "cars": cars, "jobs": jobs, "leads": leads}


def get_changelist(client, query: str = ""):
    response = client.get(f"{CHANGELIST}?{query}" if query else CHANGELIST)
    assert response.status_code == 200, response.content[:500]
    return response


def shown_titles(response) -> set[str]:
    return {lead.title for lead in response.context["cl"].result_list}


def shown_pks(response) -> set[int]:
    """Every lead the changelist selects (all pages)."""
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


def spec_pks(query: str) -> set[int]:
    return set(lead_list(filters=QueryDict(query)).values_list("pk", flat=True))


def error_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "error"]


# Each filter on its own ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date_from=2026-03-09", {"Barista part time", "Mountain bike"}),
        ("date_to=2026-03-02", {"Oak dining table", "Vintage road bike"}),
        ("date_from=2026-03-04&date_to=2026-03-05", {"Broken laptop", "Line cook wanted"}),
        ("status=qualified", {"Honda Civic 2012", "Barista part time"}),
        ("status=converted&status=rejected", {"Toyota truck", "Broken laptop"}),
        ("status=converted,rejected", {"Toyota truck", "Broken laptop"}),
        ("location_names=newyork", {"Broken laptop", "Line cook wanted", "Mountain bike"}),
        ("categories=cta", {"Honda Civic 2012", "Toyota truck"}),
        ("categories=JOBS", {"Line cook wanted", "Barista part time"}),
        ("min_price=6500", {"Honda Civic 2012", "Toyota truck"}),
        ("max_price=40", {"Broken laptop", "Free couch"}),
        ("min_price=180&max_price=400", {"Oak dining table", "Vintage road bike", "Vintage oak desk"}),
        ("has_email=false", {"Honda Civic 2012", "Broken laptop", "Free couch"}),
        ("has_phone=false", {"Vintage road bike", "Broken laptop", "Vintage oak desk"}),
        ("has_email=true&has_phone=false", {"Vintage road bike", "Vintage oak desk"}),
        ("keywords=vintage", {"Oak dining table", "Vintage road bike", "Toyota truck", "Vintage oak desk"}),
        ("keywords=vintage,oak", {"Oak dining table", "Vintage oak desk"}),
        (
            "exclude_keywords=vintage,bike",
            {"Honda Civic 2012", "Broken laptop", "Line cook wanted", "Free couch", "Barista part time"},
        ),
        ("q=barely", {"Mountain bike"}),
        ("limit=2", {"Mountain bike", "Barista part time"}),
        ("found_after=2026-03-09T12:00:00%2B00:00", {"Mountain bike"}),
    ],
)
def test_each_filter_shows_the_leads_it_names(admin_client, catalogue, query, expected):
    response = get_changelist(admin_client, query)
    assert shown_titles(response) == expected
    assert shown_pks(response) == spec_pks(query)
    assert error_messages(response) == []


def test_location_ids_and_ids_filters(admin_client, catalogue):
    sf, la = catalogue["sf"], catalogue["la"]
    response = get_changelist(admin_client, f"location_ids={sf.pk},{la.pk}&has_phone=false")
    assert shown_titles(response) == {"Vintage road bike", "Vintage oak desk"}

    picked = [catalogue["leads"]["Free couch"].pk, catalogue["leads"]["Toyota truck"].pk]
    response = get_changelist(admin_client, f"ids={picked[0]}&ids={picked[1]}")
    assert shown_titles(response) == {"Free couch", "Toyota truck"}


def test_spec_parameters_are_not_read_as_field_lookups(admin_client, catalogue):
    # As a field lookup, `status=new,contacted` would look for that literal status and find nothing.
    response = get_changelist(admin_client, "status=new,contacted")
    assert len(shown_titles(response)) == 6
    assert response.context["cl"].has_active_filters


# The admin list and the FilterSet agree --------------------------------------------------------------


COMBINED_QUERIES = [
    "",
    "status=new&status=contacted&min_price=100",
    "status=new,qualified&has_phone=true&date_from=2026-03-03",
    "location_names=sfbay,losangeles&categories=sss&max_price=300",
    "keywords=oak&exclude_keywords=desk&has_email=true",
    "categories=sss,jjj&has_email=true&has_phone=true&date_to=2026-03-09",
    "q=bike&status=new",
    "q=vintage&min_price=0&max_price=500&o=-3",
    "limit=5&status=new,contacted,qualified",
    "limit=4&o=3",
    "date_from=2026-03-02&date_to=2026-03-08&exclude_keywords=truck,couch&has_phone=false",
    "status=rejected&keywords=nothing-matches-this",
    "min_price=0.5&categories=cars%2Btrucks",
    "found_after=2026-03-03T00:00:00&found_until=2026-03-08T12:00:00&status=contacted",
]


@pytest.mark.parametrize("query", COMBINED_QUERIES)
def test_admin_list_shows_exactly_what_the_filterset_selects(admin_client, catalogue, query):
    response = get_changelist(admin_client, query)
    assert shown_pks(response) == spec_pks(query)
    # Small enough to be one page: the rows drawn are the same leads.
    assert {lead.pk for lead in response.context["cl"].result_list} == spec_pks(query)


def test_location_ids_combined_with_everything_else(admin_client, catalogue):
    sf, ny = catalogue["sf"], catalogue["ny"]
    for query in [
        f"location_ids={sf.pk}&location_ids={ny.pk}&status=new",
        f"location_ids={ny.pk}&min_price=50&has_email=true&keywords=bike",
        f"location_ids={sf.pk},{ny.pk}&location_names=sfbay&date_to=2026-03-07",
    ]:
        response = get_changelist(admin_client, query)
        assert shown_pks(response) == spec_pks(query), query
        assert shown_pks(response), query


def test_column_sort_applies_to_the_filtered_list_even_with_a_limit(admin_client, catalogue):
    # Columns: 0 = the action check box, 1 = title, 2 = status, 3 = price.
    response = get_changelist(admin_client, "limit=4&o=3")
    prices = [lead.price for lead in response.context["cl"].result_list]
    assert prices == [None, Decimal("0"), Decimal("180"), Decimal("650.50")] or prices == [
        Decimal("0"),
        Decimal("180"),
        Decimal("650.50"),
        None,
    ]
    response = get_changelist(admin_client, "status=new&o=-3")
    titles = [lead.title for lead in response.context["cl"].result_list if lead.price is not None]
    assert titles == ["Mountain bike", "Oak dining table", "Free couch"]


# Bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("date_from=2026-13-01", "date_from"),
        ("date_from=2026-03-05&date_to=2026-03-01", "date_to"),
        ("min_price=cheap", "min_price"),
        ("min_price=500&max_price=100", "max_price"),
        ("max_price=-1", "max_price"),
        ("location_ids=999999", "location_ids"),
        ("location_ids=abc", "location_ids"),
        ("has_email=maybe", "has_email"),
        ("limit=0", "limit"),
        ("ids=1,x", "ids"),
        ("found_after=yesterday", "found_after"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_values_show_an_error_and_an_empty_list(admin_client, catalogue, query, field):
    response = get_changelist(admin_client, query)
    messages = error_messages(response)
    assert len(messages) == 1
    # Named as people know the filter ("Maximum price"), not by its parameter (max_price).
    assert messages[0].startswith(f"{LeadFilterSet.base_filters[field].label}:")
    assert response.context["cl"].result_count == 0
    assert list(response.context["cl"].result_list) == []


def test_unknown_parameters_are_refused_with_a_message_above_an_empty_list(admin_client, catalogue):
    response = admin_client.get(f"{CHANGELIST}?colour=red")
    # Not Django's bare "?e=1" page: the list, empty, and a sentence naming the parameter.
    assert response.status_code == 200
    messages = error_messages(response)
    assert len(messages) == 1 and "“colour”" in messages[0]
    assert response.context["cl"].result_count == 0


# The sidebar ---------------------------------------------------------------------------------------


class _SidebarParser(HTMLParser):
    """Collects the links and form inputs of the changelist's filter sidebar and of the search form."""

    def __init__(self):
        super().__init__()
        self.sections: list[str] = []
        self.links: list[tuple[str, str]] = []  # (section, href)
        self.inputs: list[dict] = []
        self.search_hidden: list[tuple[str, str]] = []
        self._where: list[str] = []
        self._in_summary = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") in ("changelist-filter", "changelist-search"):
            self._where.append(attrs["id"])
        elif self._where and tag in ("search", "form", "details"):
            self._where.append(tag)
        if not self._where:
            return
        if self._where[0] == "changelist-filter":
            if tag == "details":
                self.sections.append(attrs["data-filter-title"])
            elif tag == "a" and self.sections:
                self.links.append((self.sections[-1], attrs["href"]))
            elif tag == "input":
                self.inputs.append({"section": self.sections[-1], **attrs})
        elif tag == "input" and attrs.get("type") == "hidden":
            self.search_hidden.append((attrs["name"], attrs["value"]))

    def handle_endtag(self, tag):
        if self._where and tag in ("search", "form", "details"):
            self._where.pop()


def sidebar(response) -> _SidebarParser:
    parser = _SidebarParser()
    parser.feed(response.content.decode())
    return parser


def link_params(links, section) -> list[dict]:
    return [
        {name: QueryDict(href.lstrip("?")).getlist(name) for name in QueryDict(href.lstrip("?"))}
        for where, href in links
        if where == section
    ]


def test_sidebar_has_a_section_for_every_filter_of_the_spec(admin_client, catalogue):
    parsed = sidebar(get_changelist(admin_client))
    assert parsed.sections == [
        "status",
        "assigned to",
        "date found",
        "price",
        "e-mail",
        "phone",
        "contact quality",
        "duplicates",
        "keywords",
        "location",
        "category",
    ]
    names = {field["name"] for field in parsed.inputs if field.get("type") != "hidden"}
    assert names == {"date_from", "date_to", "min_price", "max_price", "keywords", "exclude_keywords"}
    types = {field["name"]: field["type"] for field in parsed.inputs if field.get("type") != "hidden"}
    assert types["date_from"] == types["date_to"] == "date"
    assert types["min_price"] == types["max_price"] == "number"


# The spec parameters the sidebar deliberately has no control for: `q` is the search box; the others
# come from selected rows (`ids`), feeds (`found_after`, `found_until`) and scripts (`limit`), and
# "other filters" lists them with a link that removes each.
WITHOUT_A_SECTION = {"q", "ids", "limit", "found_after", "found_until"}


def test_every_spec_parameter_has_a_sidebar_section_that_claims_it(admin_client, catalogue):
    from leads.admin.list_filters import OtherSpecListFilter
    from leads.admin.sidebar import LEAD_LIST_FILTERS

    claimed = {name for spec in LEAD_LIST_FILTERS if spec is not OtherSpecListFilter for name in spec.parameters}
    assert set(LeadFilterSet.base_filters) - WITHOUT_A_SECTION <= claimed
    # And each claiming section is drawn on the page.
    titles = set(sidebar(get_changelist(admin_client)).sections)
    assert {spec.title for spec in LEAD_LIST_FILTERS if spec is not OtherSpecListFilter} <= titles


def test_duplicates_links_write_first_or_repeated_and_keep_the_other_parameters(admin_client, catalogue):
    response = get_changelist(admin_client, "status=new&duplicates=repeated")
    links = link_params(sidebar(response).links, "duplicates")
    assert links == [
        {"status": ["new"]},
        {"status": ["new"], "duplicates": ["first"]},
        {"status": ["new"], "duplicates": ["repeated"]},
    ]
    spec = next(spec for spec in response.context["cl"].filter_specs if spec.title == "duplicates")
    assert [choice["selected"] for choice in spec.choices(response.context["cl"])] == [False, False, True]
    # Claimed by its own section, so "other filters" does not list it.
    assert "other filters" not in sidebar(response).sections


def test_the_duplicates_filter_shows_what_the_spec_selects(admin_client, catalogue):
    from leads.duplicates.grouping import duplicates_find

    duplicates_find()  # the catalogue's leads share phone numbers: some groups form
    for value in ("first", "repeated"):
        response = get_changelist(admin_client, f"duplicates={value}")
        assert shown_pks(response) == spec_pks(f"duplicates={value}")
    assert shown_pks(get_changelist(admin_client, "duplicates=repeated"))


def test_status_links_toggle_one_value_and_keep_the_other_parameters(admin_client, catalogue):
    response = get_changelist(admin_client, "status=new&q=bike&o=-3&p=1&min_price=10")
    links = link_params(sidebar(response).links, "status")
    kept = {"q": ["bike"], "o": ["-3"], "min_price": ["10"]}
    assert links[0] == kept  # "All"
    by_status = {tuple(link.get("status", [])): link for link in links[1:]}
    # Clicking "New" (selected) removes it; clicking another value adds it, in the spec's order.
    assert set(by_status) == {(), ("new,contacted",), ("new,qualified",), ("new,converted",), ("new,rejected",)}
    for link in links:
        assert {name: values for name, values in link.items() if name != "status"} == kept
        assert "p" not in link


def test_location_and_category_links_use_ids_and_codes(admin_client, catalogue):
    sf, la = catalogue["sf"], catalogue["la"]
    response = get_changelist(admin_client, "location_names=sfbay&categories=for sale")
    parsed = sidebar(response)
    location_links = link_params(parsed.links, "location")
    # The names spec is shown as the ids it selects, and a click writes ids only.
    assert {"location_ids": [f"{la.pk},{sf.pk}"], "categories": ["for sale"]} in location_links or {
        "location_ids": [f"{sf.pk},{la.pk}"],
        "categories": ["for sale"],
    } in location_links
    assert all("location_names" not in link for link in location_links)
    category_links = link_params(parsed.links, "category")
    assert {"location_names": ["sfbay"], "categories": ["sss,cta"]} in category_links or {
        "location_names": ["sfbay"],
        "categories": ["cta,sss"],
    } in category_links
    selected = [spec.selected_values() for spec in response.context["cl"].filter_specs if spec.title == "category"]
    assert selected == [{"sss"}]


def test_presence_links_write_true_and_false(admin_client, catalogue):
    response = get_changelist(admin_client, "has_email=yes")
    links = link_params(sidebar(response).links, "e-mail")
    assert links == [{}, {"has_email": ["true"]}, {"has_email": ["false"]}]
    spec = next(spec for spec in response.context["cl"].filter_specs if spec.title == "e-mail")
    assert [choice["selected"] for choice in spec.choices(response.context["cl"])] == [False, True, False]


def test_input_forms_keep_the_other_parameters_as_hidden_inputs(admin_client, catalogue):
    response = get_changelist(admin_client, "status=new&status=contacted&min_price=100&q=oak&p=2&date_from=2026-03-01")
    price_inputs = [field for field in sidebar(response).inputs if field["section"] == "price"]
    hidden = sorted((field["name"], field["value"]) for field in price_inputs if field["type"] == "hidden")
    assert hidden == [("date_from", "2026-03-01"), ("q", "oak"), ("status", "contacted"), ("status", "new")]
    shown = {field["name"]: field.get("value") for field in price_inputs if field["type"] != "hidden"}
    assert shown == {"min_price": "100", "max_price": ""}


def test_search_box_keeps_repeated_spec_parameters(admin_client, catalogue):
    response = get_changelist(admin_client, "status=new&status=contacted&q=oak")
    assert sorted(sidebar(response).search_hidden) == [("status", "contacted"), ("status", "new")]


def test_parameters_without_a_control_are_listed_and_removable(admin_client, catalogue):
    response = get_changelist(admin_client, "limit=3&status=new")
    parsed = sidebar(response)
    assert parsed.sections[-1] == "other filters"
    assert link_params(parsed.links, "other filters") == [{"status": ["new"]}]
    assert "Limit: 3" in response.content.decode()


# Columns -----------------------------------------------------------------------------------------------


def test_columns_show_badge_price_location_and_contact_icons(admin_client, catalogue):
    response = get_changelist(admin_client, "q=Mountain")
    html = response.content.decode()
    assert '<span class="lead-badge lead-badge--blue">New</span>' in html
    assert "$650.50" in html
    assert "New York City" in html and "for sale" in html
    assert 'href="mailto:mountain@example.com"' in html
    assert 'href="tel:+14155550123"' in html  # stored in E.164 (leads.contact_normalisation)
    assert '<span class="lead-badge lead-badge--green">Valid</span>' in html
    assert '<time datetime="2026-03-10T12:00:00+00:00"' in html


def test_found_column_uses_the_one_date_time_style_in_the_site_time_zone(admin_client, catalogue, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    found = datetime.datetime(2025, 1, 2, 17, 5, tzinfo=datetime.UTC)  # 09:05 in Los Angeles
    LeadFactory(title="Old lead", scraped_at=found)

    html = get_changelist(admin_client, "q=Old").content.decode()

    assert '<time datetime="2025-01-02T09:05:00-08:00">2 Jan 2025 09:05</time>' in html
    assert "All times are shown in the America/Los_Angeles time zone." in html


def test_unpriced_and_contactless_leads_read_clearly(admin_client, catalogue):
    html = get_changelist(admin_client, "q=laptop").content.decode()
    assert "$40" in html and "$40.00" not in html
    assert 'title="No e-mail"' in html and 'title="No phone"' in html
    html = get_changelist(admin_client, "q=cook").content.decode()
    assert '<td class="field-price_display">-</td>' in html


def test_changelist_queries_do_not_grow_with_the_rows(admin_client, catalogue):
    # The rollups are brought up to date before each request: the first reader after a write refreshes
    # them (a fixed number of queries whatever the rows, but not the same for a first build).
    rollups_refresh()
    with CaptureQueriesContext(connection) as ten_rows:
        get_changelist(admin_client)
    for _ in range(10):
        LeadFactory(location=catalogue["la"], category=catalogue["cars"])
    rollups_refresh()
    with CaptureQueriesContext(connection) as twenty_rows:
        get_changelist(admin_client)
    assert len(twenty_rows) == len(ten_rows)


# Actions -----------------------------------------------------------------------------------------------


def post_action(client, action: str, leads, query: str = "", **extra):
    data = {"action": action, "_selected_action": [lead.pk for lead in leads], "index": 0, **extra}
    return client.post(f"{CHANGELIST}?{query}" if query else CHANGELIST, data, follow=True)


def test_mark_as_contacted_changes_the_selected_leads(admin_client, catalogue):
    leads = catalogue["leads"]
    selected = [leads["Oak dining table"], leads["Free couch"], leads["Vintage road bike"]]  # the last already is
    response = post_action(admin_client, "mark_contacted", selected)
    assert response.status_code == 200
    statuses = dict(Lead.objects.values_list("title", "status"))
    assert statuses["Oak dining table"] == statuses["Free couch"] == LeadStatus.CONTACTED
    assert statuses["Mountain bike"] == LeadStatus.NEW
    assert "Marked 2 leads as contacted." in [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("status", [LeadStatus.QUALIFIED, LeadStatus.CONVERTED, LeadStatus.REJECTED, LeadStatus.NEW])
def test_every_status_has_an_action(admin_client, catalogue, status):
    lead = catalogue["leads"]["Vintage oak desk"]
    post_action(admin_client, f"mark_{status}", [lead])
    lead.refresh_from_db()
    assert lead.status == status


def test_select_all_acts_on_the_filtered_list_only(admin_client, catalogue):
    leads = catalogue["leads"]
    response = post_action(
        admin_client, "mark_rejected", [leads["Free couch"]], query="status=new&has_email=true", select_across="1"
    )
    rejected = set(Lead.objects.filter(status=LeadStatus.REJECTED).values_list("title", flat=True))
    assert rejected == {"Broken laptop", "Oak dining table", "Line cook wanted", "Mountain bike"}
    assert "Marked 3 leads as rejected." in [str(message) for message in get_messages(response.wsgi_request)]


def test_status_actions_need_the_change_permission(client, django_user_model, catalogue):
    viewer = django_user_model.objects.create_user(username="viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_lead"))
    client.force_login(viewer)
    lead = catalogue["leads"]["Free couch"]
    response = post_action(client, "mark_converted", [lead])
    assert response.status_code == 200
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW
    html = client.get(CHANGELIST).content.decode()
    assert 'name="action"' not in html and "mark_converted" not in html


# The detail page --------------------------------------------------------------------------------------


def test_detail_page_shows_the_lead_in_sections(admin_client, catalogue):
    run = ScrapeRunFactory(location=catalogue["sf"], category=catalogue["sale"])
    lead = catalogue["leads"]["Oak dining table"]
    lead.scrape_run = run
    lead.save()
    response = admin_client.get(reverse("admin:leads_lead_change", args=[lead.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Craigslist post", "Contact", "History"):
        assert f">{heading}<" in html
    assert f'href="{lead.url}" target="_blank" rel="noopener noreferrer"' in html
    assert reverse("admin:leads_scraperun_change", args=[run.pk]) in html
    form = response.context["adminform"].form
    assert "scraped_at" not in form.fields and "scrape_run" not in form.fields
    assert "status" in form.fields


def test_detail_page_saves_a_status_change(admin_client, catalogue):
    lead = catalogue["leads"]["Free couch"]
    url = reverse("admin:leads_lead_change", args=[lead.pk])
    data = {
        "title": lead.title,
        "status": LeadStatus.QUALIFIED,
        "price": "0",
        "description": lead.description,
        "url": lead.url,
        "location": lead.location_id,
        "category": lead.category_id,
        "source_post_id": lead.source_post_id,
        "contact_name": lead.contact_name,
        "email": lead.email,
        "phone": lead.phone,
        # The notes inline: one new note, signed by the user who adds it.
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "0",
        "notes-0-text": "Called, call back Monday",
        "notes-0-tag": "callback",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.QUALIFIED
    note = lead.notes.get()
    assert (note.text, note.tag, note.author.username) == ("Called, call back Monday", "callback", "admin")


def test_add_page_renders(admin_client, catalogue):
    assert admin_client.get(reverse("admin:leads_lead_add")).status_code == 200


# Reference admins ---------------------------------------------------------------------------------------


def test_location_list_links_lead_counts_to_the_filtered_lead_list(admin_client, catalogue):
    response = admin_client.get(reverse("admin:leads_location_changelist"))
    html = response.content.decode()
    ny = catalogue["ny"]
    assert f'<a href="{CHANGELIST}?location_ids={ny.pk}">3 leads</a>' in html
    linked = get_changelist(admin_client, f"location_ids={ny.pk}")
    assert len(shown_titles(linked)) == 3
    LocationFactory(name="Boise", site_code="boise")
    html = admin_client.get(reverse("admin:leads_location_changelist")).content.decode()
    assert '<span class="quiet">0 leads</span>' in html


def test_category_list_links_lead_counts_by_code(admin_client, catalogue):
    html = admin_client.get(reverse("admin:leads_category_changelist")).content.decode()
    assert f'<a href="{CHANGELIST}?categories=cta">2 leads</a>' in html
    assert len(shown_titles(get_changelist(admin_client, "categories=cta"))) == 2


def test_reference_lists_count_leads_in_one_query(admin_client, catalogue):
    url = reverse("admin:leads_location_changelist")
    with CaptureQueriesContext(connection) as three_sites:
        admin_client.get(url)
    for index in range(5):
        LocationFactory(name=f"Extra {index}", site_code=f"extra{index}")
    with CaptureQueriesContext(connection) as eight_sites:
        admin_client.get(url)
    assert len(eight_sites) == len(three_sites)


def test_scrape_run_list_shows_status_and_duration_and_sorts_by_duration(admin_client, catalogue):
    started = timezone.now() - datetime.timedelta(hours=1)
    slow = ScrapeRunFactory(started_at=started, finished_at=started + datetime.timedelta(minutes=3, seconds=12))
    quick = ScrapeRunFactory(started_at=started, finished_at=started + datetime.timedelta(seconds=40))
    ScrapeRunFactory(started_at=started, finished_at=None, status="running")
    # Column 5 is the duration (0 is the check box), sorted by finished_at - started_at.
    response = admin_client.get(reverse("admin:leads_scraperun_changelist") + "?o=5")
    assert response.status_code == 200
    finished = [run.pk for run in response.context["cl"].result_list if run.finished_at]
    assert finished == [quick.pk, slow.pk]
    html = response.content.decode()
    # Written as the dashboard writes durations: one style everywhere.
    assert "3 min 12 s" in html and "40 s" in html
    assert '<span class="lead-badge lead-badge--green">Success</span>' in html
    assert '<span class="lead-badge lead-badge--blue">Running</span>' in html


@pytest.mark.django_db
def test_an_estimated_count_is_labelled_as_about(admin_client, monkeypatch):
    from leads.admin.paginator import LeadPaginator

    LeadFactory.create_batch(3)
    url = reverse("admin:leads_lead_changelist")
    assert "about 3" not in admin_client.get(url).content.decode()
    monkeypatch.setattr(LeadPaginator, "count_is_exact", property(lambda self: False))
    page = admin_client.get(url).content.decode()
    assert "about 3 leads" in page


def test_counts_carry_thousands_separators(admin_client):
    location, category = LocationFactory(), CategoryFactory()
    leads = LeadFactory.build_batch(1_234, location=location, category=category)
    Lead.objects.bulk_create(leads)

    html = get_changelist(admin_client, "").content.decode()

    assert "1,234 results" in html  # the search box's count
    assert "1,234 leads" in html  # the pagination footer
    assert "Select all 1,234 leads" in html


def test_other_lists_count_with_separators_too(admin_client):
    from leads.models import Location

    Location.objects.bulk_create(Location(name=f"Site {n}", site_code=f"site{n}") for n in range(1_050))
    Location.objects.create(name="Elsewhere", site_code="elsewhere")

    html = admin_client.get("/admin/leads/location/?q=Site").content.decode()

    assert "1,050 results" in html
    assert "1,050 locations" in html
    assert "Select all 1,050 locations" in html
