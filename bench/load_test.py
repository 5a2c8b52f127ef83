"""Load test: concurrent staff users against gunicorn on loopback, with PostgreSQL and the export worker.

Target (load): several staff users browse filtered lead lists, open the dashboard and
create exports at the same time, for a fixed time, with zero errors, and every export completes
with exactly the rows its filters select.

    DATABASE_URL=... .venv/bin/python bench/load_test.py --users 8 --seconds 60

with DATABASE_URL a PostgreSQL database of its own, e.g. postgres://postgres@127.0.0.1:5432/leadsite_load.

The database is created when missing, migrated, seeded with --leads demo leads when it has none
(default 20,000) and given the demo groups (`create_demo_users`) plus one login per simulated user
("load-user-N", alternately Sales staff and Sales manager, each with an API token). Then, with
production settings (DEBUG off, WhiteNoise's manifest storage after `collectstatic` into a
temporary STATIC_ROOT, plain HTTP allowed for 127.0.0.1 only):

- gunicorn serves leadsite.wsgi on 127.0.0.1 and a free port (--workers, default 2 x CPUs + 1);
- `manage.py db_worker` runs the background exports (--export-workers processes, default 1);
- each user is a thread with its own session: it logs in through the admin login form (CSRF
  token and all), then until the time is up picks at random: a filtered lead changelist
  (`/admin/leads/lead/?status=new&location_ids=...`), the dashboard (with or without filters), or
  a background CSV export through the JSON API with its token (POST /api/v1/export/create with
  "scheduled": true, polling /api/v1/export/history/<id> until it finishes, then downloading it).

Filter specs come from a pool made before the run: random combinations of the spec's filters,
normalized by `lead_filters_normalize` and written as query strings by `spec_to_query_string`.
Every downloaded CSV must have as many data rows as its record's row_count and as
`lead_list(filters=spec).count()`, counted here through the ORM after the run (nothing changes
the leads meanwhile, and counting during the run would add load that is not HTTP).

Requests go only to 127.0.0.1. The run is bounded: --seconds of new work (exports already
started are followed to the end, at most --export-timeout seconds each), --max-requests in all,
a 30 s timeout per request. Printed: requests, req/s, p50/p95/max latency per kind of request,
errors (any 5xx, connection error or unexpected status counts) with the tail of the gunicorn and
worker logs (whole logs kept in $TEST_ARTIFACTS_DIR/load-test-logs, default test-artifacts/), and
the exports verified. --json PATH writes the same figures for CI (tests/load/test_load_short.py).
Exit status: 0 when there were no errors and every export was verified, 1 otherwise, 2 when the
set-up failed. The servers are stopped on every exit path.
"""

import argparse
import csv
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
import psycopg
import requests

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30
KEYWORDS = ("vintage", "guitar", "moving", "condition", "bike", "camera", "apartment", "free")
LOGIN_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EXPECTED_STATUS = {
    "login_form": 200,
    "login": 302,
    "changelist": 200,
    "dashboard": 200,
    "export_create": 202,
    "export_status": 200,
    "export_download": 200,
}
FINISHED = ("completed", "failed", "cancelled", "expired")


class SetupError(Exception):
    """The database, the server or the worker could not be made ready; the message says which."""


# --- set-up -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_environment(*, database_url: str, port: int, workdir: Path) -> dict:
    """Production settings, relaxed only as far as plain HTTP on loopback needs."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "leadsite.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "load-test-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"http://{HOST}:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "API_EXPORT_RATE": "100000/minute",
        "DATA_DIR": str(workdir / "data"),
        "STATIC_ROOT": str(workdir / "static"),
        "EXPORT_DIRECTORY": str(workdir / "exports"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DEMO_PASSWORD": secrets.token_urlsafe(16),
        "LOG_LEVEL": "WARNING",
        "LOG_TO_CONSOLE": "true",  # tracebacks land in the gunicorn and worker logs
    }


def database_ensure(database_url: str) -> None:
    """Create the database named by DATABASE_URL when it does not exist yet."""
    config = dj_database_url.parse(database_url)
    if "postgresql" not in config["ENGINE"]:
        raise SetupError("The load test needs PostgreSQL: set DATABASE_URL=postgres://...")
    params = {
        "host": config["HOST"] or HOST,
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
    }
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=10, **params) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
                conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
                print(f"Created database {config['NAME']}.")
    except psycopg.Error as error:
        raise SetupError(f"Cannot reach PostgreSQL at {params['host']}:{params['port']}: {error}") from error


def django_prepare(*, leads: int, users: int) -> list[tuple[str, str, str]]:
    """Migrate, seed, collect static files and make the load users; returns (username, password, token)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from leads.demo_users import SALES_MANAGER, SALES_STAFF

    quiet = io.StringIO()
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", leads=leads, if_empty=True, stdout=quiet)
    call_command("create_demo_users", stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0)
    groups = [Group.objects.get(name=SALES_STAFF), Group.objects.get(name=SALES_MANAGER)]
    # One password and one hash for every load user: hashing is slow on purpose.
    password = secrets.token_urlsafe(16)
    hashed = make_password(password)
    logins = []
    for number in range(1, users + 1):
        user, _ = get_user_model().objects.get_or_create(username=f"load-user-{number}")
        user.is_active = user.is_staff = True
        user.password = hashed
        user.save()
        user.groups.set([groups[number % 2]])
        token, _ = Token.objects.get_or_create(user=user)
        logins.append((user.username, password, token.key))
    print(f"Database ready in {time.monotonic() - started:.1f} s.")
    return logins


@dataclass(frozen=True)
class Spec:
    filters: dict  # the normalized spec, sent as JSON to the API
    query: str  # the same spec as a query string, for the admin pages


def spec_pool(*, size: int, seed: int) -> list[Spec]:
    """Random filter specs over the seeded data, normalized by the one filter spec."""
    import datetime

    from django.utils import timezone

    from leads.filters import spec_to_query_string
    from leads.models import Category, LeadStatus, Location
    from leads.selectors import lead_filters_normalize

    rng = random.Random(seed)
    location_ids = list(Location.objects.values_list("pk", flat=True))
    category_codes = list(Category.objects.values_list("code", flat=True))
    today = timezone.localdate()

    def one_filter() -> dict:
        kind = rng.choice(("status", "location", "category", "price", "contact", "dates", "keywords", "q"))
        if kind == "status":
            return {"status": rng.sample(LeadStatus.values, rng.randint(1, 2))}
        if kind == "location":
            return {"location_ids": rng.sample(location_ids, min(len(location_ids), rng.randint(1, 3)))}
        if kind == "category":
            return {"categories": rng.sample(category_codes, min(len(category_codes), rng.randint(1, 2)))}
        if kind == "price":
            low = rng.choice((0, 50, 100, 500))
            return {"min_price": low, "max_price": low + rng.choice((200, 1000, 5000))}
        if kind == "contact":
            return {rng.choice(("has_email", "has_phone")): rng.choice((True, False))}
        if kind == "dates":
            start = today - datetime.timedelta(days=rng.randint(0, 60))
            return {"date_from": start.isoformat(), "date_to": (start + datetime.timedelta(days=14)).isoformat()}
        if kind == "keywords":
            return {"keywords": [rng.choice(KEYWORDS)]}
        return {"q": rng.choice(KEYWORDS)}

    pool = []
    for number in range(size):
        raw = {}
        for _ in range(0 if number % 10 == 0 else rng.randint(1, 3)):  # every tenth spec: all leads
            raw.update(one_filter())
        spec = lead_filters_normalize(filters=raw)
        pool.append(Spec(filters=spec, query=spec_to_query_string(spec)))
    return pool


# --- processes ----------------------------------------------------------------------------------------


@dataclass
class Servers:
    """gunicorn and the export workers; stop() ends every one of them, on any exit path."""

    logs: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def crashed(self) -> list[str]:
        return [" ".join(process.args[:3]) for process in self.processes if process.poll() is not None]

    def log_tail(self, lines: int = 60) -> str:
        parts = []
        for path in sorted(self.logs.glob("*.log")):
            text = path.read_text(errors="replace").splitlines()
            if text:
                parts.append(f"--- {path.name} (last {min(lines, len(text))} lines)\n" + "\n".join(text[-lines:]))
        return "\n".join(parts)


def servers_start(*, servers: Servers, env: dict, port: int, workers: int, export_workers: int) -> str:
    bin_dir = Path(sys.executable).parent
    gunicorn = [
        str(bin_dir / "gunicorn"),
        "leadsite.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--preload",  # import Django once, then fork: a quicker start on a small machine
        "--graceful-timeout",
        "5",
        "--capture-output",
        "--log-level",
        "warning",
    ]
    servers.start("gunicorn", gunicorn, env)
    for number in range(1, export_workers + 1):
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
        servers.start(f"worker-{number}", command, env)
    base_url = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 30
    with requests.Session() as session:
        session.trust_env = False  # never through a proxy: loopback only
        while time.monotonic() < deadline:
            if servers.crashed():
                raise SetupError(f"{', '.join(servers.crashed())} exited at start-up.")
            try:
                if session.get(f"{base_url}/admin/login/", timeout=2).status_code == 200:
                    return base_url
            except requests.RequestException:
                pass
            time.sleep(0.2)
    raise SetupError(f"gunicorn did not answer on {base_url} within 30 s.")


# --- the simulated users ------------------------------------------------------------------------------


@dataclass
class ExportResult:
    export_id: str
    spec: Spec
    status: str = ""
    row_count: int | None = None
    csv_rows: int | None = None
    expected: int | None = None  # lead_list(filters=spec).count(), computed after the run
    seconds: float = 0.0
    problem: str = ""


class Stats:
    """Latencies by kind of request, errors and export results, shared by the user threads."""

    def __init__(self, *, max_requests: int):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.exports: list[ExportResult] = []
        self.remaining = max_requests

    def take_budget(self) -> bool:
        with self.lock:
            self.remaining -= 1
            return self.remaining >= 0

    def record(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class OutOfBudget(Exception):
    pass


class LoadUser(threading.Thread):
    def __init__(self, *, base_url, login, pool, stats, deadline, export_timeout, weights, seed):
        super().__init__(name=login[0], daemon=True)
        self.base_url = base_url
        self.username, self.password, self.token = login
        self.pool = pool
        self.stats = stats
        self.deadline = deadline
        self.export_timeout = export_timeout
        self.weights = weights
        self.rng = random.Random(seed)
        self.session = requests.Session()  # the browser: session and CSRF cookies
        self.api = requests.Session()  # the script: its token only, no cookies (DRF checks CSRF on sessions)
        for session in (self.session, self.api):
            session.trust_env = False  # never through a proxy: loopback only
            session.headers["User-Agent"] = "leadsite-load-test"
        self.api.headers["Authorization"] = f"Token {self.token}"

    def run(self) -> None:
        try:
            self.login()
            self.export()  # every user exports at least once, all at the start: the worker's queue fills up
            actions = {"changelist": self.changelist, "dashboard": self.dashboard, "export": self.export}
            while time.monotonic() < self.deadline:
                action = self.rng.choices(list(self.weights), weights=list(self.weights.values()))[0]
                actions[action]()
        except OutOfBudget:
            pass
        except Exception as error:  # a bug in the load test itself must show, not vanish with the thread
            self.stats.error(f"{self.username}: load test crashed: {error!r}")
        finally:
            self.session.close()
            self.api.close()

    def request(self, kind: str, method: str, url: str, *, api: bool = False, **kwargs) -> requests.Response | None:
        """One timed request; anything but the expected status is an error (returns None)."""
        if not url.startswith(self.base_url + "/"):
            self.stats.error(f"{kind}: refused to leave loopback: {url}")
            return None
        if not self.stats.take_budget():
            raise OutOfBudget
        started = time.perf_counter()
        try:
            session = self.api if api else self.session
            response = session.request(method, url, timeout=REQUEST_TIMEOUT, allow_redirects=False, **kwargs)
            body = response.content  # the whole body is part of the time
        except requests.RequestException as error:
            self.stats.record(kind, time.perf_counter() - started)
            self.stats.error(f"{kind} {method} {url}: {type(error).__name__}: {error}")
            return None
        self.stats.record(kind, time.perf_counter() - started)
        if response.status_code != EXPECTED_STATUS[kind]:
            self.stats.error(f"{kind} {method} {url}: HTTP {response.status_code}: {body[:300]!r}")
            return None
        return response

    def login(self) -> None:
        url = f"{self.base_url}/admin/login/?next=/admin/"
        form = self.request("login_form", "GET", url)
        match = form and LOGIN_TOKEN.search(form.text)
        if not match:
            raise RuntimeError("no CSRF token on the login form")
        data = {
            "csrfmiddlewaretoken": match[1],
            "username": self.username,
            "password": self.password,
            "next": "/admin/",
        }
        response = self.request("login", "POST", url, data=data, headers={"Referer": url})
        if response is None or response.headers.get("Location") != "/admin/":
            raise RuntimeError("the login form did not log in")

    def changelist(self) -> None:
        spec = self.rng.choice(self.pool)
        self.request("changelist", "GET", f"{self.base_url}/admin/leads/lead/?{spec.query}")

    def dashboard(self) -> None:
        query = self.rng.choice(self.pool).query if self.rng.random() < 0.5 else ""
        self.request("dashboard", "GET", f"{self.base_url}/admin/dashboard/?{query}")

    def export(self) -> None:
        spec = self.rng.choice(self.pool)
        body = {"export_type": "csv", "filters": spec.filters, "scheduled": True}
        started = time.monotonic()
        response = self.request("export_create", "POST", f"{self.base_url}/api/v1/export/create", json=body, api=True)
        if response is None:
            return
        record = response.json()
        result = ExportResult(export_id=record["id"], spec=spec)
        with self.stats.lock:
            self.stats.exports.append(result)
        # Followed to the end even after the deadline: every export started must be seen to finish.
        while record["status"] not in FINISHED:
            if time.monotonic() - started > self.export_timeout:
                result.problem = f"not finished after {self.export_timeout} s (status {record['status']})"
                return
            time.sleep(0.25)
            response = self.request("export_status", "GET", record["status_url"], api=True)
            if response is None:
                result.problem = "status request failed"
                return
            record = response.json()
        result.status, result.row_count = record["status"], record["row_count"]
        result.seconds = time.monotonic() - started
        if record["status"] != "completed":
            result.problem = f"ended {record['status']}: {record['error_message']}"
            return
        response = self.request("export_download", "GET", record["download_url"], api=True)
        if response is None:
            result.problem = "download failed"
            return
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
        result.csv_rows = len(rows) - 1  # the header row


def exports_verify(results: list[ExportResult]) -> None:
    """Each downloaded CSV has as many rows as its record's row_count and as its filters select now.

    Counted here, through the ORM against the same database, after the run (nothing changes the
    leads meanwhile), so the counting adds no load while the figures are taken.
    """
    from leads.selectors import lead_list

    counts: dict[str, int] = {}
    for result in results:
        if result.problem:
            continue
        if result.spec.query not in counts:
            counts[result.spec.query] = lead_list(filters=result.spec.filters).count()
        result.expected = counts[result.spec.query]
        if not result.csv_rows == result.row_count == result.expected:
            result.problem = (
                f"CSV has {result.csv_rows} rows, the record says {result.row_count}, "
                f"the filters select {result.expected} ({result.spec.query or 'no filter'})"
            )


# --- the run and its report ---------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def summarize(*, stats: Stats, users: int, seconds: float, elapsed: float, workers: int, leads: int) -> dict:
    kinds = {}
    for kind, values in sorted(stats.latencies.items()):
        kinds[kind] = {
            "requests": len(values),
            "p50_ms": round(percentile(values, 0.50) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "max_ms": round(max(values) * 1000, 1),
        }
    total = sum(kind["requests"] for kind in kinds.values())
    verified = [result for result in stats.exports if not result.problem]
    return {
        "users": users,
        "seconds": seconds,
        "elapsed_seconds": round(elapsed, 1),
        "gunicorn_workers": workers,
        "leads": leads,
        "requests": total,
        "requests_per_second": round(total / elapsed, 1) if elapsed else 0.0,
        "kinds": kinds,
        "errors": list(stats.errors),
        "exports_created": len(stats.exports),
        "exports_verified": len(verified),
        "export_rows_verified": sum(result.csv_rows or 0 for result in verified),
        "export_problems": [f"{result.export_id}: {result.problem}" for result in stats.exports if result.problem],
        "export_p50_seconds": round(percentile([r.seconds for r in verified], 0.5), 2) if verified else None,
    }


def report_print(summary: dict) -> None:
    print()
    print(
        f"{summary['users']} users for {summary['seconds']} s ({summary['elapsed_seconds']} s with exports drained), "
        f"gunicorn {summary['gunicorn_workers']} workers, {summary['leads']:,} leads"
    )
    print(f"{summary['requests']:,} requests, {summary['requests_per_second']} req/s")
    print(f"{'kind':<16} {'requests':>9} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for kind, figures in summary["kinds"].items():
        print(
            f"{kind:<16} {figures['requests']:>9} {figures['p50_ms']:>9} {figures['p95_ms']:>9} {figures['max_ms']:>9}"
        )
    print(
        f"exports: {summary['exports_created']} created, {summary['exports_verified']} completed with the right "
        f"row count ({summary['export_rows_verified']:,} rows checked; median {summary['export_p50_seconds']} s "
        "from request to completed)"
    )
    print(f"errors: {len(summary['errors'])}")
    for message in summary["errors"][:20] + summary["export_problems"][:20]:
        print(f"  {message}")


def run(args) -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        raise SetupError("Set DATABASE_URL=postgres://... (the database is created when missing).")
    database_ensure(database_url)
    with tempfile.TemporaryDirectory(prefix="leadsite-load-") as workdir:
        workdir = Path(workdir)
        (workdir / "logs").mkdir()
        port = free_port()
        env = server_environment(database_url=database_url, port=port, workdir=workdir)
        os.environ.update(env)  # this process reads the same database, with the same settings
        sys.path.insert(0, str(BASE_DIR))
        logins = django_prepare(leads=args.leads, users=args.users)
        pool = spec_pool(size=200, seed=args.seed)
        from django.db import connections

        from leads.models import Lead

        leads = Lead.objects.count()
        connections.close_all()

        servers = Servers(logs=workdir / "logs")
        try:
            base_url = servers_start(
                servers=servers, env=env, port=port, workers=args.workers, export_workers=args.export_workers
            )
            print(f"Serving {base_url} with gunicorn; {args.users} users for {args.seconds} s...")
            stats = Stats(max_requests=args.max_requests)
            started = time.monotonic()
            weights = {"changelist": 6, "dashboard": 3, "export": 1}
            threads = [
                LoadUser(
                    base_url=base_url,
                    login=login,
                    pool=pool,
                    stats=stats,
                    deadline=started + args.seconds,
                    export_timeout=args.export_timeout,
                    weights=weights,
                    seed=args.seed + number,
                )
                for number, login in enumerate(logins)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=max(1.0, started + args.seconds + args.export_timeout + 60 - time.monotonic()))
            if any(thread.is_alive() for thread in threads):
                stats.error("some users were still busy after the time limit")
            elapsed = time.monotonic() - started
            exports_verify(stats.exports)
            for crashed in servers.crashed():
                stats.error(f"{crashed} exited during the run")
            summary = summarize(
                stats=stats, users=args.users, seconds=args.seconds, elapsed=elapsed, workers=args.workers, leads=leads
            )
            report_print(summary)
            failed = bool(summary["errors"] or summary["export_problems"])
            if failed:
                kept = Path(os.environ.get("TEST_ARTIFACTS_DIR") or BASE_DIR / "test-artifacts") / "load-test-logs"
                shutil.copytree(servers.logs, kept, dirs_exist_ok=True)
                print(f"\nServer logs (whole logs kept in {kept}):\n" + servers.log_tail())
        finally:
            stopping = time.monotonic()
            servers.stop()
            print(f"Servers stopped in {time.monotonic() - stopping:.1f} s.")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2))
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8, help="Concurrent staff users (default 8).")
    parser.add_argument("--seconds", type=float, default=60, help="How long users start new work (default 60).")
    parser.add_argument("--leads", type=int, default=20_000, help="Leads to seed when the database has none.")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers.")
    parser.add_argument("--export-workers", type=int, default=1, help="db_worker processes (default 1).")
    parser.add_argument("--export-timeout", type=float, default=120, help="Seconds an export may take (120).")
    parser.add_argument("--max-requests", type=int, default=100_000, help="Stop after this many requests.")
    parser.add_argument("--seed", type=int, default=6, help="Random seed of the filters and the users' choices.")
    parser.add_argument("--json", help="Also write the figures to this file.")
    args = parser.parse_args()
    if args.users < 1 or args.seconds <= 0 or args.workers < 1 or args.export_workers < 1:
        parser.error("--users, --seconds, --workers and --export-workers must be positive.")
    # A SIGTERM (CI's timeout, a test's clean-up) unwinds through the finally blocks that stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return run(args)
    except SetupError as error:
        print(f"Load test not run: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
