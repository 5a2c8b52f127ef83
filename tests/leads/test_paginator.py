"""The changelist paginator: exact counts up to a limit, PostgreSQL's estimate past it (leads.admin.paginator)."""

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leads.admin.paginator import LeadPaginator, queryset_count_up_to, queryset_row_estimate, round_significant
from leads.models import Lead
from tests.factories import LeadFactory, LocationFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
not_on_postgresql = pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL estimates instead")


class SmallLimitPaginator(LeadPaginator):
    exact_count_limit = 5


def leads(count: int):
    LeadFactory.create_batch(count)
    return Lead.objects.order_by("-scraped_at", "-id")


def analyze() -> None:
    """Fresh planner statistics, so the estimate for the test's rows is exact."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(Lead._meta.db_table)}")


def test_up_to_the_limit_the_count_is_exact_and_costs_one_query(django_assert_num_queries):
    paginator = LeadPaginator(leads(7), per_page=3)
    with django_assert_num_queries(1):
        assert paginator.count_is_exact
        assert paginator.count == 7
    assert paginator.num_pages == 3
    assert len(paginator.page(3).object_list) == 1
    with pytest.raises(EmptyPage):
        paginator.page(4)


def test_a_filtered_queryset_is_counted_with_its_filter():
    LeadFactory.create_batch(3, status="new")
    LeadFactory.create_batch(2, status="rejected")
    paginator = LeadPaginator(Lead.objects.filter(status="rejected").order_by("pk"), per_page=10)
    assert (paginator.count, paginator.count_is_exact) == (2, True)


def test_a_plain_list_is_counted_by_its_length():
    paginator = LeadPaginator(list(range(12)), per_page=5)
    assert (paginator.count, paginator.count_is_exact, paginator.num_pages) == (12, True, 3)


@not_on_postgresql
def test_above_the_limit_other_databases_count_exactly():
    paginator = SmallLimitPaginator(leads(12), per_page=5)
    assert (paginator.count, paginator.count_is_exact) == (12, True)


@on_postgresql
def test_above_the_limit_postgresql_shows_the_planner_estimate(django_assert_num_queries):
    queryset = leads(12)
    analyze()
    paginator = SmallLimitPaginator(queryset, per_page=5)
    with django_assert_num_queries(2):  # the capped count, then EXPLAIN
        assert paginator.count == 12
    assert not paginator.count_is_exact
    assert paginator.num_pages == 3


@on_postgresql
def test_an_estimate_is_rounded_and_never_below_the_limit(monkeypatch):
    queryset = leads(7)
    monkeypatch.setattr("leads.admin.paginator.queryset_row_estimate", lambda queryset: 2)
    assert SmallLimitPaginator(queryset, per_page=5).count == 6  # at least limit + 1, rounded up
    monkeypatch.setattr("leads.admin.paginator.queryset_row_estimate", lambda queryset: 115_743)
    assert SmallLimitPaginator(queryset, per_page=5).count == 120_000


@on_postgresql
def test_pages_past_a_too_high_estimate_are_empty_not_errors():
    queryset = leads(30)
    analyze()
    Lead.objects.filter(pk__in=list(Lead.objects.values_list("pk", flat=True)[:20])).delete()
    paginator = SmallLimitPaginator(queryset, per_page=5)
    assert not paginator.count_is_exact
    assert paginator.num_pages > 2  # the estimate still believes in about 30 leads
    assert len(paginator.page(2).object_list) == 5
    assert list(paginator.page(paginator.num_pages).object_list) == []
    with pytest.raises(EmptyPage):
        paginator.page(paginator.num_pages + 1)


def test_count_up_to_stops_at_the_limit():
    queryset = leads(7)
    assert queryset_count_up_to(queryset, limit=5) == 5
    assert queryset_count_up_to(queryset, limit=10) == 7
    assert queryset_count_up_to(queryset.filter(title="nothing"), limit=5) == 0


def test_row_estimate_only_on_postgresql():
    estimate = queryset_row_estimate(leads(3))
    if connection.vendor == "postgresql":
        assert isinstance(estimate, int) and estimate >= 0
    else:
        assert estimate is None


@pytest.mark.parametrize(
    ("number", "up", "expected"),
    [
        (115_743, False, 120_000),
        (1_000_287, False, 1_000_000),
        (10_001, True, 11_000),
        (99_999, False, 100_000),
        (42, False, 42),
        (7, True, 7),
        (0, False, 0),
    ],
)
def test_round_significant(number, up, expected):
    assert round_significant(number, up=up) == expected


def test_the_lead_changelist_uses_it(admin_client):
    LeadFactory.create_batch(3)
    response = admin_client.get(reverse("admin:leads_lead_changelist"), {"status": "new"})
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert isinstance(changelist.paginator, LeadPaginator)
    assert changelist.result_count == 3 and changelist.paginator.count_is_exact


def test_the_changelist_shows_a_big_list_by_its_estimate(admin_client, monkeypatch):
    monkeypatch.setattr(LeadPaginator, "exact_count_limit", 2)
    LeadFactory.create_batch(6)
    if connection.vendor == "postgresql":
        analyze()
    # A price bound: the daily rollups cannot count it, so the paginator does (estimating on PostgreSQL).
    response = admin_client.get(reverse("admin:leads_lead_changelist"), {"min_price": "0"})
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count == 6
    assert changelist.paginator.count_is_exact == (connection.vendor != "postgresql")
    assert len(changelist.result_list) == 6


def test_the_changelist_takes_an_exact_count_from_the_rollups(admin_client, monkeypatch):
    monkeypatch.setattr(LeadPaginator, "exact_count_limit", 2)
    LeadFactory.create_batch(5, email="")
    LeadFactory.create_batch(6, email="someone@example.com")
    admin_client.get(reverse("admin:leads_lead_changelist"))  # refreshes the rollups

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:leads_lead_changelist"), {"has_email": "true"})

    changelist = response.context["cl"]
    assert changelist.result_count == 6 and changelist.paginator.count_is_exact
    assert not [query for query in queries if "COUNT(" in query["sql"] and '"leads_lead"' in query["sql"]]


def test_admin_lookups_beside_the_spec_are_refused_never_counted_from_the_rollups(admin_client):
    # Only the spec filters the list: a raw ORM lookup is refused, so no count can disagree with it.
    location = LocationFactory()
    LeadFactory.create_batch(2, location=location)
    LeadFactory.create_batch(3)

    response = admin_client.get(reverse("admin:leads_lead_changelist"), {"location__id__exact": location.pk})

    assert response.context["cl"].result_count == 0
    assert "“location__id__exact”" in " ".join(str(message) for message in response.context["messages"])
    response = admin_client.get(reverse("admin:leads_lead_changelist"), {"location_ids": location.pk})
    assert response.context["cl"].result_count == 2
