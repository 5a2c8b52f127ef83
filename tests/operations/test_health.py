from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from operations.services import health
from tests.operations.factories import WorkerHeartbeatFactory

pytestmark = pytest.mark.django_db


def test_all_fine_is_200_without_a_login(client):
    WorkerHeartbeatFactory()

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "worker": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_no_worker_ever_is_503(client):
    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["worker"] == "no worker seen yet"
    assert response.json()["database"] == "ok"


def test_a_silent_worker_is_503_with_how_long(client, settings):
    settings.WORKER_DEAD_SECONDS = 60
    WorkerHeartbeatFactory(last_seen_at=timezone.now() - timedelta(seconds=125))

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["worker"] in {"no worker seen for 125 s", "no worker seen for 126 s"}


def test_an_unwritable_export_directory_is_503(client, settings, monkeypatch):
    WorkerHeartbeatFactory()
    monkeypatch.setattr(health.os, "access", lambda path, mode: False)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["storage"] == "export directory not writable"


def test_an_export_directory_that_cannot_be_created_is_503(client, settings, tmp_path):
    WorkerHeartbeatFactory()
    (tmp_path / "blocker").write_text("a file where a folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "blocker" / "exports")},
        },
    }

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["storage"] == "export directory missing"


def test_a_database_that_is_down_is_503_and_the_worker_unknown(client, monkeypatch):
    def broken():
        raise OperationalError("could not connect to server at db.internal:5432")

    monkeypatch.setattr(health, "connection", type("Down", (), {"cursor": staticmethod(broken)})())

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "unavailable"
    assert body["worker"] == "unknown (database unavailable)"
    assert "db.internal" not in response.content.decode()  # details go to the log, not to the public


def test_only_get(client):
    assert client.post("/health/").status_code == 405
