"""Benchmark: a background export (enqueue -> worker -> completed record) against the direct run.

Target (export engine): a 100,000-lead export from enqueue to completed record within
1.3x of the direct writer's time. The worker (`manage.py db_worker`) is started first and left
idle, as in production, so its start-up is not counted.

Run (PostgreSQL bench database, see bench/README.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/leadsite_bench \\
        .venv/bin/python bench/background.py [--rows 100000] [--format csv] [--repeat 3]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")
os.environ.setdefault("DEBUG", "true")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", default="csv", choices=["csv", "excel", "json", "zip"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from exports.models import Export, ExportStatus
    from exports.services import ExportRequest, export_create, export_enqueue, export_run

    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is None:
        sys.exit("No superuser in this database: run manage.py create_demo_users first.")
    spec = {"limit": args.rows}
    options = {"export_type": args.format}

    def create() -> Export:
        request = ExportRequest(user=user, filters=spec, format=options["export_type"], max_rows=args.rows)
        return export_create(request=request)

    direct, background = [], []
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # let the worker start and go idle
        for _ in range(args.repeat):
            export = create()
            started = time.perf_counter()
            export_run(export_id=export.pk)
            direct.append(time.perf_counter() - started)

            with transaction.atomic():
                export = create()
                export_enqueue(export=export)
            started = time.perf_counter()
            while True:
                export.refresh_from_db(fields=["status", "error_message"])
                if export.status not in (ExportStatus.PENDING, ExportStatus.RUNNING):
                    break
                time.sleep(0.05)
            background.append(time.perf_counter() - started)
            if export.status != ExportStatus.COMPLETED:
                sys.exit(f"The background export ended {export.status}: {export.error_message}")
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    direct_median, background_median = statistics.median(direct), statistics.median(background)
    print(f"{args.format} export of {args.rows:,} leads, {args.repeat} runs each")
    print(f"direct export_run          median {direct_median:6.2f} s   runs {[round(t, 2) for t in direct]}")
    print(f"enqueue -> completed       median {background_median:6.2f} s   runs {[round(t, 2) for t in background]}")
    print(f"ratio background / direct  {background_median / direct_median:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
