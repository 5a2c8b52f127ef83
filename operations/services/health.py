"""The health report behind /health/: each part answers "ok" or a short reason."""

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError, connection

from exports.storage import export_storage
from operations.selectors import worker_liveness

logger = logging.getLogger("operations")
OK = "ok"
# The page is public: the answers name the problem, the log holds the details (hosts, paths).


@dataclass(frozen=True)
class HealthReport:
    checks: dict[str, str]

    @property
    def ok(self) -> bool:
        return all(value == OK for value in self.checks.values())


def health_report() -> HealthReport:
    database = _database()
    return HealthReport(
        checks={
            "database": database,
            # Without a database the heartbeats cannot be read: say so instead of guessing.
            "worker": _worker() if database == OK else "unknown (database unavailable)",
            "storage": _storage(),
        }
    )


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("health: database unavailable: %s", error)
        return "unavailable"
    return OK


def _worker() -> str:
    try:
        liveness = worker_liveness()
    except DatabaseError as error:
        logger.warning("health: heartbeats unreadable: %s", error)
        return "unknown (heartbeats unreadable)"
    if liveness.alive:
        return OK
    seconds = liveness.seconds_since_seen()
    return "no worker seen yet" if seconds is None else f"no worker seen for {seconds} s"


def _storage() -> str:
    try:
        storage = export_storage()
        if isinstance(storage, FileSystemStorage):
            folder = Path(storage.location)
            try:
                folder.mkdir(parents=True, exist_ok=True)  # as the system check does: the first export makes it
            except OSError as error:
                logger.warning("health: the export directory %s cannot be created: %s", folder, error)
                return "export directory missing"
            if not os.access(folder, os.W_OK | os.X_OK):
                logger.warning("health: the export directory %s is not writable", folder)
                return "export directory not writable"
        else:
            storage.exists("health-check")  # reaches the remote storage without writing to it
    except Exception as error:  # any storage backend may fail in its own way
        logger.warning("health: storage unavailable: %s", error)
        return "unavailable"
    return OK
