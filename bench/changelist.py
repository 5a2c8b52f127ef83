"""Benchmark: server time of the lead changelist for representative filters.

Targets: every filtered changelist page renders in under 300 ms with 1,000,000 leads on
PostgreSQL, and in under 500 ms with 100,000 leads on SQLite.

Run against a seeded database, e.g. the shared bench database:

    createdb -h 127.0.0.1 -U postgres leadsite_bench
    export DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/leadsite_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --leads 1000000 --runs 10000

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/leadsite_bench .venv/bin/python bench/changelist.py

(The script itself runs with production settings, DEBUG off, whatever the environment says.)

Options: --repeat N (timed requests per URL, default 10), --only TEXT (URLs whose label contains TEXT),
--queries (print each SQL query of the last request with its time), --stock-paginator (Django's
own Paginator instead of LeadPaginator, to see what the estimate saves).

Each URL is requested once to warm up, then N times through Django's test
client, logged in as a superuser (created as "bench-admin" if missing). The
time is the whole request: middleware, the admin view, the queries and the
template. Printed per URL: median and p95 in ms, the number of SQL queries,
and the count the page shows ("~" when the paginator estimated it).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
# Production settings (DEBUG off) even when the shell exported DEBUG=true for manage.py.
os.environ["DEBUG"] = "false"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from leads.models import Lead, Location  # noqa: E402

TARGETS_MS = {"postgresql": 300, "sqlite": 500}


def scenarios(request_admin) -> list[tuple[str, str]]:
    """(label, query string) pairs: no filter, each spec filter alone, a combination, a sort, a deep page."""
    site_ids = dict(Location.objects.values_list("site_code", "pk"))
    two_sites = ",".join(str(site_ids.get(code, 1)) for code in ("sfbay", "newyork"))
    today = timezone.localdate()
    week_from = (today - datetime.timedelta(days=37)).isoformat()
    week_to = (today - datetime.timedelta(days=31)).isoformat()
    price_column = _column_index(request_admin, "price")
    # A post id the database holds (the middle lead's), so the search finds one lead.
    middle = Lead.objects.order_by("pk").values_list("source_post_id", flat=True)[Lead.objects.count() // 2 :][:1]
    post_id = next(iter(middle), "7600500003")
    return [
        ("no filter", ""),
        ("status", "status=qualified"),
        ("location_ids", f"location_ids={two_sites}"),
        ("categories", "categories=cta"),
        ("date range (one week)", f"date_from={week_from}&date_to={week_to}"),
        ("price range", "min_price=500&max_price=1500"),
        ("has_email", "has_email=true"),
        ("keywords", "keywords=vintage"),
        ("keywords, no match", "keywords=unicorn"),
        ("exclude_keywords", "exclude_keywords=free"),
        ("q search", "q=walnut+dresser"),
        ("q search, a post id", f"q={post_id}"),
        (
            "combined",
            f"status=new,contacted&location_ids={two_sites}&categories=fua,sss&min_price=50"
            f"&has_email=true&keywords=oak&date_from={(today - datetime.timedelta(days=90)).isoformat()}",
        ),
        ("sorted by price", f"o={price_column}"),
        ("sorted by price, desc, status", f"o=-{price_column}&status=new"),
        ("deep page (p=500)", "p=500"),
    ]


def _column_index(request_admin, field: str) -> int:
    """The admin's `o` value for the column that sorts by `field` (the action checkbox counts as a column)."""
    request, model_admin = request_admin
    columns = list(model_admin.get_list_display(request))
    if model_admin.get_actions(request):
        columns.insert(0, "action_checkbox")
    for index, name in enumerate(columns):
        attribute = getattr(model_admin, name, None) if isinstance(name, str) else name
        if name == field or getattr(attribute, "admin_order_field", None) == field:
            return index
    raise SystemExit(f"No changelist column sorts by {field!r}.")


def admin_spec_shim(model_admin) -> None:
    """Let the admin accept every spec parameter, for admins that do not claim them yet.

    LeadChangeList applies the spec through LeadFilterSet; Django's own lookup
    handling must only stop rejecting the parameters (what list filters that
    claim them do), so the timings stay those of the real filtering.
    """
    from leads.filters import FILTER_PARAMETERS

    changelist_class = model_admin.get_changelist(None)

    class SpecClaimingChangeList(changelist_class):
        def get_filters_params(self, params=None):
            lookups = super().get_filters_params(params)
            return {key: value for key, value in lookups.items() if key not in FILTER_PARAMETERS}

    model_admin.get_changelist = lambda request, **kwargs: SpecClaimingChangeList


class ChangeListSpy:
    """Keeps the last ChangeList the admin built, to read the count it showed."""

    def __init__(self, model_admin):
        self.last = None
        original = model_admin.get_changelist_instance

        def spy(request):
            self.last = original(request)
            return self.last

        model_admin.get_changelist_instance = spy


def run(*, repeat: int, only: str, show_queries: bool, stock_paginator: bool) -> int:
    target_ms = TARGETS_MS.get(connection.vendor, 300)
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    model_admin = admin.site._registry[Lead]
    if stock_paginator:
        model_admin.paginator = Paginator
    spy = ChangeListSpy(model_admin)
    url = reverse("admin:leads_lead_changelist")
    fake_request = RequestFactory().get(url)
    fake_request.user = user

    if _get(client, f"{url}?has_email=true&keywords=x"):
        admin_spec_shim(model_admin)
        print("Note: the lead admin rejects spec parameters; the bench lets its ChangeList accept them.")
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}; leads: about {_lead_total():,}")
    print(f"Paginator: {model_admin.paginator.__module__}.{model_admin.paginator.__name__}; repeat {repeat}")
    print(f"{'URL':<32} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'shown count':>13}")
    slow = 0
    for label, query in scenarios((fake_request, model_admin)):
        if only and only not in label:
            continue
        full_url = f"{url}?{query}" if query else url
        problem = _get(client, full_url)  # also warms up caches and connections
        if problem:
            print(f"{label:<32} {problem}")
            continue
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                _get(client, full_url)
                timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20, method="inclusive")[18] if len(timings) > 1 else timings[0]
        slow += p95 > target_ms
        print(f"{label:<32} {median:>10.1f} {p95:>8.1f} {len(captured):>8} {_shown_count(spy.last):>13}")
        if show_queries:
            for number, item in enumerate(captured.captured_queries, 1):
                print(f"    {number}. {float(item['time']) * 1000:.1f} ms  {item['sql'][:400]}")
    print(f"Load average: {' '.join(f'{value:.1f}' for value in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"{slow} URL(s) over {target_ms} ms at p95." if slow else f"Every URL under {target_ms} ms at p95.")
    return 1 if slow else 0


def _get(client: Client, url: str) -> str:
    """An empty string, or what went wrong (e.g. the admin rejected a parameter and redirected)."""
    response = client.get(url)
    if response.status_code != 200:
        return f"skipped: answered {response.status_code} {response.get('Location', '')}"
    return ""


def _shown_count(changelist) -> str:
    if changelist is None:
        return "?"
    exact = getattr(changelist.paginator, "count_is_exact", True)
    return f"{'' if exact else '~'}{changelist.result_count:,}"


def _lead_total() -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [Lead._meta.db_table])
            estimate = cursor.fetchone()[0]
        if estimate > 0:
            return estimate
    return Lead.objects.count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per URL (default 10)")
    parser.add_argument("--only", default="", help="only URLs whose label contains this text")
    parser.add_argument("--queries", action="store_true", help="print the SQL of the last request per URL")
    parser.add_argument(
        "--stock-paginator", action="store_true", help="use Django's own Paginator (exact COUNT(*)) to compare"
    )
    arguments = parser.parse_args()
    if arguments.repeat < 1:
        parser.error("--repeat must be at least 1")
    # Production settings minus the static manifest, which only exists after collectstatic.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": static}
    with override_settings(STORAGES=storages):
        return run(
            repeat=arguments.repeat,
            only=arguments.only,
            show_queries=arguments.queries,
            stock_paginator=arguments.stock_paginator,
        )


if __name__ == "__main__":
    sys.exit(main())
