"""The demo seed: reproducible, consistent Craigslist data, loaded in bulk (leads.demo_data)."""

import datetime
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from leads.demo_data import demo_data_seed, loading, seeding
from leads.demo_data.content import CATEGORIES, SITES
from leads.models import Category, Lead, LeadStatus, Location, ScrapeRun, ScrapeRunStatus
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
URL = re.compile(r"^https://(?P<site>[a-z]+)\.craigslist\.org/(?P<code>[a-z]{3})/d/[a-z0-9-]+/(?P<post>\d{10})\.html$")


def snapshot() -> list[tuple]:
    """Every lead and run as plain values, ids replaced by what they stand for."""
    leads = Lead.objects.order_by("source_post_id").values_list(
        "location__site_code",
        "category__code",
        "source_post_id",
        "url",
        "title",
        "description",
        "price",
        "status",
        "contact_name",
        "email",
        "phone",
        "posted_at",
        "scraped_at",
        "updated_at",
        "scrape_run__started_at",
    )
    runs = ScrapeRun.objects.order_by("started_at").values_list(
        "location__site_code",
        "category__code",
        "started_at",
        "finished_at",
        "status",
        "pages_fetched",
        "leads_found",
        "leads_new",
        "leads_duplicate",
        "error",
    )
    return [*leads, *runs]


def test_same_seed_gives_the_same_data():
    demo_data_seed(leads=400, runs=8, seed=7, now=NOW)
    first = snapshot()
    Lead.objects.all().delete()
    ScrapeRun.objects.all().delete()
    demo_data_seed(leads=400, runs=8, seed=7, now=NOW)
    assert snapshot() == first


def test_another_seed_gives_other_data():
    demo_data_seed(leads=200, runs=4, seed=1, now=NOW)
    first = snapshot()
    Lead.objects.all().delete()
    ScrapeRun.objects.all().delete()
    demo_data_seed(leads=200, runs=4, seed=2, now=NOW)
    assert snapshot() != first


def test_counts_and_the_default_number_of_runs():
    result = demo_data_seed(leads=1_250, now=NOW)
    assert (result.leads, result.runs) == (1_250, 12)
    assert Lead.objects.count() == 1_250
    assert ScrapeRun.objects.count() == 12
    assert result.locations_created == len(SITES) == Location.objects.count()
    assert result.categories_created == len(CATEGORIES) == Category.objects.count()


def test_real_craigslist_sites_and_categories_created_once():
    demo_data_seed(leads=10, now=NOW)
    again = demo_data_seed(leads=10, now=NOW)
    assert (again.locations_created, again.categories_created) == (0, 0)
    codes = set(Category.objects.values_list("code", flat=True))
    assert {"sss", "jjj", "bbb", "hhh", "ggg", "ccc", "cta", "fua", "ele", "zip"} <= codes
    sites = set(Location.objects.values_list("site_code", flat=True))
    assert {"sfbay", "losangeles", "newyork", "seattle", "chicago"} <= sites
    assert Location.objects.get(site_code="sfbay").region == "CA"


def test_leads_are_consistent():
    demo_data_seed(leads=2_000, runs=25, seed=3, now=NOW)
    leads = list(Lead.objects.select_related("location", "category", "scrape_run"))
    for lead in leads:
        assert lead.posted_at < lead.scraped_at <= lead.updated_at <= NOW
        assert lead.scraped_at >= NOW - datetime.timedelta(days=181)
        match = URL.match(lead.url)
        assert match, lead.url
        assert (match["site"], match["code"], match["post"]) == (
            lead.location.site_code,
            lead.category.code,
            lead.source_post_id,
        )
        assert lead.title and lead.description
        if lead.status == LeadStatus.NEW:
            assert lead.updated_at == lead.scraped_at
        if lead.scrape_run:
            run = lead.scrape_run
            assert (run.location_id, run.category_id) == (lead.location_id, lead.category_id)
            assert run.started_at <= lead.scraped_at <= run.finished_at
        if lead.category.code in ("jjj", "ccc"):
            assert lead.price is None
        if lead.price is not None:
            assert lead.price >= 0 and lead.price == lead.price.to_integral()
    assert len({(lead.location_id, lead.source_post_id) for lead in leads}) == len(leads)


def test_the_mix_looks_like_real_leads():
    demo_data_seed(leads=3_000, runs=30, seed=4, now=NOW)
    leads = Lead.objects.all()
    total = leads.count()
    statuses = Counter(leads.values_list("status", flat=True))
    assert statuses.most_common(1)[0][0] == LeadStatus.NEW
    assert set(statuses) == set(LeadStatus.values)
    with_email = leads.exclude(email="").count()
    with_phone = leads.exclude(phone="").count()
    both = leads.exclude(email="").exclude(phone="").count()
    neither = leads.filter(email="", phone="").count()
    assert 0.25 < with_email / total < 0.75
    assert 0.15 < with_phone / total < 0.65
    assert both > 0 and neither > 0.15 * total
    assert 0.05 < leads.filter(price__isnull=True).count() / total < 0.6
    assert leads.filter(price__gt=Decimal("1000")).exists()
    assert leads.values("location").distinct().count() >= 10
    # Recent data for the dashboard: some leads found in the last few days.
    assert leads.filter(scraped_at__gte=NOW - datetime.timedelta(days=4)).exists()


def test_runs_counts_match_their_leads():
    demo_data_seed(leads=3_000, runs=60, seed=5, now=NOW)
    runs = ScrapeRun.objects.annotate(linked=Count("leads"))
    statuses = Counter(run.status for run in runs)
    assert statuses[ScrapeRunStatus.SUCCESS] > statuses[ScrapeRunStatus.PARTIAL] > 0
    assert statuses[ScrapeRunStatus.FAILED] > 0
    for run in runs:
        assert run.leads_new == run.linked
        assert run.leads_found == run.leads_new + run.leads_duplicate
        assert run.started_at < run.finished_at <= NOW
        if run.status == ScrapeRunStatus.FAILED:
            assert run.error and run.leads_new == 0
        else:
            assert run.pages_fetched >= 1
            assert bool(run.error) == (run.status == ScrapeRunStatus.PARTIAL)
    # Leads of runs since deleted keep existing without one; every other lead has its run.
    unlinked = Lead.objects.filter(scrape_run__isnull=True).count()
    assert 0 < unlinked < 0.1 * 3_000


def test_if_empty_does_nothing_when_leads_exist():
    LeadFactory()
    result = demo_data_seed(leads=100, if_empty=True, now=NOW)
    assert result.skipped and result.existing_leads == 1
    assert Lead.objects.count() == 1
    assert not ScrapeRun.objects.exists()


def test_if_empty_seeds_an_empty_database():
    result = demo_data_seed(leads=100, if_empty=True, now=NOW)
    assert not result.skipped
    assert Lead.objects.count() == 100


def test_seeding_again_adds_more_without_colliding():
    demo_data_seed(leads=300, now=NOW)
    demo_data_seed(leads=300, now=NOW)
    assert Lead.objects.count() == 600
    assert Lead.objects.values("source_post_id").distinct().count() == 600


def test_no_leads_and_only_runs():
    result = demo_data_seed(leads=0, runs=3, now=NOW)
    assert (result.leads, result.runs) == (0, 3)
    assert not Lead.objects.exists()


def test_runs_zero_leaves_every_lead_without_a_run():
    demo_data_seed(leads=50, runs=0, now=NOW)
    assert Lead.objects.count() == 50
    assert not ScrapeRun.objects.exists()
    assert not Lead.objects.filter(scrape_run__isnull=False).exists()


def test_batches_do_not_change_the_data():
    demo_data_seed(leads=250, runs=5, seed=9, batch_size=7, now=NOW)
    small_batches = snapshot()
    Lead.objects.all().delete()
    ScrapeRun.objects.all().delete()
    progress = []
    demo_data_seed(leads=250, runs=5, seed=9, batch_size=100, now=NOW, on_progress=lambda *args: progress.append(args))
    assert snapshot() == small_batches
    assert progress == [(100, 250), (200, 250), (250, 250)]


@pytest.mark.parametrize("arguments", [{"leads": -1}, {"leads": 1, "runs": -1}, {"leads": 1, "batch_size": 0}])
def test_bad_arguments_are_refused(arguments):
    with pytest.raises(ValueError):
        demo_data_seed(**arguments)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index rebuilding is PostgreSQL-only")
def test_big_loads_rebuild_the_same_indexes_on_postgresql(monkeypatch):
    def definitions():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [Lead._meta.db_table])
            return sorted(cursor.fetchall())

    before = definitions()
    monkeypatch.setattr(seeding, "REBUILD_INDEXES_FROM", 100)
    # The table-size estimate survives rolled-back tests (ANALYZE is not transactional): pin it.
    monkeypatch.setattr(loading, "lead_row_estimate", lambda: 0)
    messages = []
    demo_data_seed(leads=150, now=NOW, on_message=messages.append)
    assert messages and "indexes" in messages[0]
    assert definitions() == before
    assert Lead.objects.count() == 150


def test_command_prints_progress_and_totals(capsys):
    call_command("seed_demo", "--leads", "120", "--runs", "3", "--seed", "11", "--batch-size", "50")
    output = capsys.readouterr().out
    assert "Seeding 120 leads and 3 scrape runs (seed 11)" in output
    assert "120 / 120 leads (100%)" in output
    assert "Created 120 leads and 3 scrape runs" in output
    assert Lead.objects.count() == 120


def test_command_if_empty_says_why_it_did_nothing(capsys):
    LeadFactory()
    call_command("seed_demo", "--leads", "50", "--if-empty")
    assert "1 lead already exist" in capsys.readouterr().out
    assert Lead.objects.count() == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--leads", "-5"], "must be at least 0"),
        (["--leads", "many"], "expected a whole number"),
        (["--leads", "5", "--batch-size", "0"], "must be at least 1"),
    ],
)
def test_command_rejects_bad_numbers(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", *arguments)


def test_seed_demo_leaves_the_rollups_current_after_every_app_added_its_data(settings):
    # The demo rules change lead statuses after the leads are loaded: the first dashboard view must
    # not be the one that refreshes the rollups.
    from leads.models import LeadRollupDirty

    settings.DEMO_PASSWORD = "a-test-password"
    call_command("create_demo_users", verbosity=0)
    call_command("seed_demo", "--leads", "300", "--runs", "3", "--seed", "5", stdout=io.StringIO())

    assert not LeadRollupDirty.objects.exists()
