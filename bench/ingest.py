"""Benchmark: the scraper ingest API through the real HTTP stack; leads/s and the server's peak memory.

Targets (leads in): at least 5,000 leads/s on PostgreSQL (stretch 10,000) and 2,000 on SQLite,
for 100,000 leads posted in batches of 1,000, half of them new and half repeats of leads already
sent (unchanged: a scraper re-finding a post).

What it does: migrates the database (a throw-away SQLite one without DATABASE_URL), makes a scraper
and a key, starts gunicorn on loopback (--workers, default 1) with DEBUG off, opens a scrape run,
posts one untimed warm-up batch, then times --leads leads in batches of --batch: each batch holds
--batch/2 new leads and --batch/2 leads of the batch before (the warm-up batch for the first). It
checks every answer (200, the expected created/unchanged totals), finishes the run, and prints:
leads/s (wall, the client waits for each answer), the server's CPU seconds (gunicorn workers, plus
on PostgreSQL the server processes of their connections, read from /proc), leads per CPU second,
and the peak RSS of the gunicorn worker (VmHWM). The machine's load is printed too: wall-clock
figures fall with the load of a shared machine; CPU figures much less.

Run:
    .venv/bin/python bench/ingest.py [--leads 100000] [--batch 1000] [--workers 1]            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ls_ingest .venv/bin/python bench/ingest.py
"""

import argparse
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
TARGETS = {"postgresql": 5_000, "sqlite": 2_000}
WORKDIR = Path(tempfile.mkdtemp(prefix="leadsite-bench-ingest-"))
ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": HOST,
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
    "LOG_TO_CONSOLE": "true",
    "STATIC_ROOT": str(WORKDIR / "static"),
    "EXPORT_DIRECTORY": str(WORKDIR / "exports"),
}
if not os.environ.get("DATABASE_URL"):
    ENV["DATA_DIR"] = str(WORKDIR / "data")
os.environ.update({name: value for name, value in ENV.items() if name not in os.environ or name == "DEBUG"})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    half = args.batch // 2

    import django

    django.setup()
    import orjson
    from django.core.management import call_command
    from django.db import connection

    from ingest.models import Scraper
    from ingest.services import scraper_key_create
    from leads.models import Category, Location

    call_command("migrate", verbosity=0)
    location, _ = Location.objects.get_or_create(site_code="benchsite", defaults={"name": "Bench site"})
    Category.objects.get_or_create(code="benchcat", defaults={"name": "Bench category"})
    scraper, _ = Scraper.objects.get_or_create(name=f"bench-{secrets.token_hex(4)}")
    _, key = scraper_key_create(scraper=scraper, name="bench")
    vendor = connection.vendor
    tag = secrets.token_hex(3)  # fresh post ids on every run: the new half is really new
    connection.close()

    def lead(number: int) -> dict:
        post = f"{tag}-{number}"
        return {
            "source_post_id": post,
            "location": location.site_code,
            "category": "benchcat",
            "url": f"https://benchsite.craigslist.org/bik/d/road-bike/{post}.html",
            "title": f"Road bike {number % 97} cm, barely used, lights included",
            "description": f"Selling my road bike, post {post}. Serviced last month, new tyres. " * 3,
            "price": f"{100 + number % 900}.00",
            "posted_at": "2026-11-30T09:30:00-08:00",
            "contact_name": "Sam" if number % 3 else "",
            "email": f"seller{number}@example.com" if number % 2 else "",
            "phone": "415-555-0134" if number % 5 == 0 else "",
        }

    port = _free_port()
    log = (WORKDIR / "gunicorn.log").open("ab")
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "leadsite.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(args.workers),
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
    try:
        connection_ = _wait(port, server)
        headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}

        def post(path: str, body: dict) -> dict:
            connection_.request("POST", path, body=orjson.dumps(body), headers=headers)
            response = connection_.getresponse()
            content = response.read()
            if response.status not in (200, 201):
                raise SystemExit(f"{path}: {response.status} {content[:500]!r}")
            return orjson.loads(content)

        run = post(
            "/api/v1/scrape-runs",
            {"location": location.site_code, "category": "benchcat", "started_at": "2026-12-01T09:00:00Z"},
        )["id"]
        post("/api/v1/leads/ingest", {"scrape_run": run, "leads": [lead(-n - 1) for n in range(half)]})  # warm-up
        batches = []
        for number in range(args.leads // args.batch):
            new = [lead(number * half + n) for n in range(half)]
            repeats = [lead((number - 1) * half + n) if number else lead(-n - 1) for n in range(half)]
            batches.append(orjson.dumps({"scrape_run": run, "leads": new + repeats}))
        workers = _children(server.pid)
        database = _database_pids(vendor)
        web_before, db_before = sum(map(_cpu, workers)), sum(map(_cpu, database))
        totals = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        started = time.perf_counter()
        for body in batches:
            connection_.request("POST", "/api/v1/leads/ingest", body=body, headers=headers)
            response = connection_.getresponse()
            content = response.read()
            if response.status != 200:
                raise SystemExit(f"ingest: {response.status} {content[:500]!r}")
            for name, count in orjson.loads(content)["totals"].items():
                totals[name] += count
        seconds = time.perf_counter() - started
        web_cpu, db_cpu = sum(map(_cpu, workers)) - web_before, sum(map(_cpu, database)) - db_before
        cpu = web_cpu + db_cpu
        finished = post(f"/api/v1/scrape-runs/{run}/finish", {"status": "success", "pages_fetched": len(batches)})
        peak = max(_peak_rss(pid) for pid in workers)
        sent = len(batches) * args.batch
        expected = {"created": len(batches) * half, "updated": 0, "unchanged": sent - len(batches) * half}
        print(f"database: {vendor}; {sent:,} leads in {len(batches)} batches of {args.batch:,} (half new)")
        print(f"totals: {totals} (expected {expected} and 0 rejected)")
        print(
            f"run {run}: found {finished['leads_found']:,}, new {finished['leads_new']:,}, "
            f"duplicates {finished['leads_duplicate']:,}"
        )
        rate = sent / seconds
        target = TARGETS[vendor]
        print(
            f"ingest: {seconds:.1f} s wall, {rate:,.0f} leads/s ({rate / target:.2f}x the {target:,}/s target); "
            f"server CPU {cpu:.1f} s (gunicorn {web_cpu:.1f} s"
            f"{f' + PostgreSQL {db_cpu:.1f} s' if database else ''}) = "
            f"{sent / cpu:,.0f} leads per CPU second ({sent / cpu / target:.2f}x); load {os.getloadavg()[0]:.1f}"
        )
        print(f"server peak RSS (gunicorn worker VmHWM): {peak / 1024:.0f} MB")
        if totals["rejected"] or totals["created"] != expected["created"]:
            raise SystemExit("unexpected totals")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait(port: int, server: subprocess.Popen) -> http.client.HTTPConnection:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {WORKDIR / 'gunicorn.log'}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=120)
            connection.request("GET", "/health/")
            connection.getresponse().read()
            return connection
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _database_pids(vendor: str) -> list[int]:
    """The PostgreSQL server processes of the gunicorn workers' connections (kept open: CONN_MAX_AGE)."""
    if vendor != "postgresql":
        return []
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend' AND client_addr IS NOT NULL "
            "AND backend_start > now() - interval '5 minutes'"
        )
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()]


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


if __name__ == "__main__":
    main()
