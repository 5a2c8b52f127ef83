"""Benchmark: server time and SQL query count of the analytics dashboard.

Targets: for specs the daily rollups answer (dates, status, location, category, contact
availability), the dashboard renders in under 300 ms server time with 1,000,000 leads on
PostgreSQL and in under 500 ms with 100,000 leads on SQLite, at a cost that does not grow with
the number of leads; other specs (keywords, price bounds, q) in under 1 s on PostgreSQL. The
number of SQL queries does not grow with the data.

Run against a seeded database, e.g. the shared bench database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/leadsite_bench .venv/bin/python bench/dashboard.py

(seeded with `manage.py migrate` and `manage.py seed_demo --leads 1000000 --runs 10000`).

Options: --repeat N (timed requests per scenario, default 7), --only TEXT (scenarios whose label
contains TEXT), --queries (print each SQL query of the last request with its time, slowest first),
--no-jit (PostgreSQL's JIT off for this run's connections, as PGOPTIONS="-c jit=off" does),
--serial (no parallel query, so the PostgreSQL CPU figure counts all the database's work),
--scan (LEAD_ROLLUPS off: every figure from the leads, to compare with the rollups),
--compare URL [URL ...] (run the benchmark once per database URL, `sqlite:PATH` meaning a SQLite
file, and print the page medians side by side, e.g. 100,000 and 1,000,000 leads):

    .venv/bin/python bench/dashboard.py --repeat 5 --compare \
        postgres://postgres@127.0.0.1:5432/bench_100k postgres://postgres@127.0.0.1:5432/bench_1m

Each scenario is requested once to warm up, then N times through Django's test client, logged in
as a superuser (created as "bench-admin" if missing). The time is the whole request: middleware,
the view, every query and the template. Printed per scenario: median and p95 in ms, the number of
SQL queries, and the leads the figures cover. Then the same for the analytics selectors alone.
The machine's load average is printed too: other work on the machine slows every wall-clock
figure, so CPU time is printed as well (this process, and its PostgreSQL backend when the
database runs on this machine).
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", default="")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--no-jit", action="store_true")
    parser.add_argument("--serial", action="store_true")
    parser.add_argument("--scan", action="store_true")
    parser.add_argument("--compare", nargs="+", metavar="URL")
    parser.add_argument("--json", help=argparse.SUPPRESS)  # where a --compare child writes its medians
    return parser.parse_args()


ARGS = arguments()
if ARGS.compare:
    from compare import compare_databases  # bench/compare.py, beside this script

    sys.exit(compare_databases(script=__file__, urls=ARGS.compare, argv=sys.argv[1:]))
if ARGS.scan:
    os.environ["LEAD_ROLLUPS"] = "false"
# Session settings for PostgreSQL, through libpq's PGOPTIONS (read when the connection opens).
for flag, option in ((ARGS.no_jit, "-c jit=off"), (ARGS.serial, "-c max_parallel_workers_per_gather=0")):
    if flag:
        os.environ["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} {option}".strip()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from exports.records.analytics import export_analytics  # noqa: E402
from leads.analytics.leads import lead_analytics  # noqa: E402
from leads.analytics.scraping import scraping_analytics  # noqa: E402
from leads.models import Lead, ScrapeRun  # noqa: E402
from leads.selectors import lead_filterset  # noqa: E402

TARGET_MS = 1000  # any spec on PostgreSQL
ROLLUP_TARGET_MS = {"postgresql": 300, "sqlite": 500}  # specs the rollups answer


def scenarios() -> list[tuple[str, dict]]:
    today = timezone.localdate()
    last_30 = (today - datetime.timedelta(days=29)).isoformat()
    return [  # (label, filters); the first three only use rollup dimensions
        ("no filter", {}),
        ("last 30 days", {"date_from": last_30}),
        (
            "typical: last 30 days, two sites, new/contacted, with e-mail",
            {"date_from": last_30, "location_names": "sfbay,newyork", "status": "new,contacted", "has_email": "true"},
        ),
        ("one category, price band", {"categories": "cta", "min_price": "1000", "max_price": "20000"}),
        ("keyword", {"keywords": "vintage"}),
    ]


class Cpu:
    """CPU time of this Python process and of its PostgreSQL backend (read from /proc when local).

    Wall-clock time on a busy machine says as much about the other work as about the dashboard;
    CPU time does not. The backend's figure leaves out parallel workers unless --serial is given.
    """

    def __init__(self):
        self.backend = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
            self.backend = stat if stat.exists() else None

    def sample(self) -> tuple[float, float | None]:
        backend = None
        if self.backend is not None:
            fields = self.backend.read_text().rsplit(")", 1)[1].split()
            backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return time.process_time(), backend


def timed(function, repeat: int, cpu: Cpu) -> tuple[list[float], list[float], list[float], CaptureQueriesContext]:
    function()  # warm-up: connection, caches, PostgreSQL's plan and buffers
    times, python_cpu, database_cpu = [], [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            python_before, database_before = cpu.sample()
            start = time.perf_counter()
            function()
            times.append((time.perf_counter() - start) * 1000)
            python_after, database_after = cpu.sample()
        python_cpu.append((python_after - python_before) * 1000)
        if database_before is not None:
            database_cpu.append((database_after - database_before) * 1000)
    return times, python_cpu, database_cpu, queries


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"


def cpu_summary(python_cpu: list[float], database_cpu: list[float]) -> str:
    text = f"cpu: python {statistics.median(python_cpu):5.0f} ms"
    if database_cpu:
        text += f" + postgres {statistics.median(database_cpu):5.0f} ms"
        text += "" if ARGS.serial else " (leader only)"
    return text


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> None:
    args = ARGS
    user_model = get_user_model()
    user = user_model.objects.filter(username="bench-admin").first() or user_model.objects.create_superuser(
        "bench-admin", "bench@example.com", "bench-only-password"
    )
    client = Client()
    client.force_login(user)
    url = reverse("dashboard:index")
    cpu = Cpu()

    print(f"Database: {connection.vendor} {settings.DATABASES['default'].get('NAME')}")
    print(f"Leads: {Lead.objects.count():,}   scrape runs: {ScrapeRun.objects.count():,}   repeat: {args.repeat}")
    rollup_target = ROLLUP_TARGET_MS.get(connection.vendor, TARGET_MS)
    print(
        f"Targets: under {rollup_target} ms server time for specs the rollups answer, {TARGET_MS} ms otherwise; "
        f"rollups {'on' if settings.LEAD_ROLLUPS else 'off (--scan)'}"
    )
    print(
        f"PostgreSQL: JIT {'off' if args.no_jit else 'server default'}, "
        f"parallel query {'off' if args.serial else 'server default'}   load average: {_load()}\n"
    )
    # Plain static storage: the manifest one needs collectstatic, which has nothing to do with server time.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    worst = worst_rollup = 0.0
    medians = {}
    for label, filters in scenarios():
        if args.only and args.only not in label:
            continue

        def request(filters=filters):
            response = client.get(url, filters)
            assert response.status_code == 200, response.status_code

        with override_settings(STORAGES=storages):
            times, python_cpu, database_cpu, queries = timed(request, args.repeat, cpu)
        medians[label] = statistics.median(times)
        rolled_up = lead_filterset(filters=filters).answerable_by_rollups()
        if rolled_up:
            worst_rollup = max(worst_rollup, medians[label])
        else:
            worst = max(worst, medians[label])
        leads = lead_analytics(filters=filters)["totals"]["leads"]
        print(f"{label}   ({leads:,} leads; {'rollups' if rolled_up and settings.LEAD_ROLLUPS else 'leads'})")
        print(f"  page      {summary(times)}   {len(queries):3d} queries   {cpu_summary(python_cpu, database_cpu)}")
        for name, selector in (
            ("leads", lambda f=filters: lead_analytics(filters=f)),
            ("scraping", lambda f=filters: scraping_analytics(filters=f)),
            ("exports", lambda f=filters: export_analytics(filters=f, user=user)),
        ):
            selector_times, _, _, selector_queries = timed(selector, max(3, args.repeat // 2), cpu)
            print(f"  {name:9} {summary(selector_times)}   {len(selector_queries):3d} queries")
        if args.queries:
            for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"])):
                print(f"    {float(query['time']) * 1000:8.1f} ms  {query['sql'][:220]}")
        print()
    print(f"Load average at the end: {_load()}")
    verdict = "within" if worst_rollup < rollup_target else "OVER"
    print(f"Slowest median, rollup specs: {worst_rollup:.1f} ms ({verdict} the {rollup_target} ms target)")
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(f"Slowest median, other specs: {worst:.1f} ms ({verdict} the {TARGET_MS} ms target)")
    if args.json:
        Path(args.json).write_text(json.dumps({"leads": Lead.objects.count(), "medians": medians}))


if __name__ == "__main__":
    main()
