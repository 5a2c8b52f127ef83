"""The export history and an export's page say plainly when a waiting export has no worker to run it."""

import pytest
from django.urls import reverse

from exports.models import ExportStatus
from operations.selectors import NO_WORKER_MESSAGE, NO_WORKER_NOTE
from tests.exports.factories import ExportFactory
from tests.operations.factories import WorkerHeartbeatFactory

pytestmark = pytest.mark.django_db
HISTORY = "admin:exports_export_changelist"


def test_the_history_says_no_worker_is_running(admin_client):
    ExportFactory(status=ExportStatus.PENDING)

    page = admin_client.get(reverse(HISTORY)).content.decode()

    assert NO_WORKER_MESSAGE in page  # the page's warning, in full
    assert f">{NO_WORKER_NOTE}</div>" in page  # and the export's own row
    assert "Waiting for the worker" not in page


def test_with_a_live_worker_the_export_is_simply_waiting(admin_client):
    ExportFactory(status=ExportStatus.PENDING)
    WorkerHeartbeatFactory()

    page = admin_client.get(reverse(HISTORY)).content.decode()

    assert NO_WORKER_MESSAGE not in page and NO_WORKER_NOTE not in page
    assert "Waiting for the worker" in page


def test_nothing_waiting_means_no_warning(admin_client):
    ExportFactory(completed=True)

    assert NO_WORKER_MESSAGE not in admin_client.get(reverse(HISTORY)).content.decode()


def test_the_export_page_says_it_too(admin_client):
    waiting = ExportFactory(status=ExportStatus.PENDING)
    done = ExportFactory(completed=True)

    assert (
        NO_WORKER_MESSAGE
        in admin_client.get(reverse("admin:exports_export_change", args=[waiting.pk])).content.decode()
    )
    assert (
        NO_WORKER_MESSAGE
        not in admin_client.get(reverse("admin:exports_export_change", args=[done.pk])).content.decode()
    )
