"""Time the whole dashboard page through Django's test client: wall, CPU and query count.

Used by bench/outreach.py --dashboard (bench/dashboard.py has its own, richer loop). Django must be
set up. CPU time is this process's and, when PostgreSQL runs on this machine, its backend's (read
from /proc), since wall time on a shared machine says as much about the other work.
"""

import os
import statistics
import time
from pathlib import Path


def _backend_stat() -> Path | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    return stat if stat.exists() else None


def _backend_cpu(stat: Path | None) -> float:
    if stat is None:
        return 0.0
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def dashboard_timed(*, label: str, filters: dict, repeat: int = 5) -> str:
    """One warm-up and `repeat` timed requests of the dashboard for `filters`; a line of figures."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    users = get_user_model()
    user = users.objects.filter(username="bench-admin").first() or users.objects.create_superuser(
        "bench-admin", "bench@example.com", "bench-only-password"
    )
    client = Client()
    client.force_login(user)
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # no collectstatic needed
    storages = {**settings.STORAGES, "staticfiles": static}
    url = reverse("dashboard:index")
    walls, python_cpu, database_cpu = [], [], []
    with override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]):
        assert client.get(url, filters).status_code == 200  # warm-up
        stat = _backend_stat()
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                python_before, database_before = time.process_time(), _backend_cpu(stat)
                started = time.perf_counter()
                response = client.get(url, filters)
                walls.append((time.perf_counter() - started) * 1000)
                python_cpu.append((time.process_time() - python_before) * 1000)
                database_cpu.append((_backend_cpu(stat) - database_before) * 1000)
            assert response.status_code == 200, response.status_code
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{label:<48} median {statistics.median(walls):7.1f} ms wall (min {min(walls):.1f})   "
        f"cpu: python {statistics.median(python_cpu):.0f} ms + postgres {statistics.median(database_cpu):.0f} ms "
        f"(leader only)   {len(queries.captured_queries)} queries   load {load}"
    )
