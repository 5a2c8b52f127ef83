from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from exports.models import ExportStatus
from operations.checks import check_export_worker
from tests.exports.factories import ExportFactory
from tests.operations.factories import WorkerHeartbeatFactory

pytestmark = pytest.mark.django_db


def test_waiting_exports_without_a_worker_are_a_warning():
    ExportFactory(status=ExportStatus.PENDING)

    warnings = check_export_worker()

    assert [warning.id for warning in warnings] == ["operations.W001"]
    assert "1 export(s) are waiting and no export worker has been seen yet" in warnings[0].msg
    assert "db_worker" in warnings[0].hint


def test_a_silent_worker_is_named_with_how_long(settings):
    settings.WORKER_DEAD_SECONDS = 60
    ExportFactory(status=ExportStatus.PENDING)
    WorkerHeartbeatFactory(last_seen_at=timezone.now() - timedelta(seconds=300))

    [warning] = check_export_worker()

    assert "no export worker seen for 30" in warning.msg  # 300 s, or 301 on a slow machine


def test_no_warning_with_a_live_worker_or_nothing_waiting():
    assert check_export_worker() == []
    ExportFactory(status=ExportStatus.PENDING)
    WorkerHeartbeatFactory()
    assert check_export_worker() == []


def test_manage_py_check_shows_it(capsys):
    ExportFactory(status=ExportStatus.PENDING)

    call_command("check")

    assert "operations.W001" in capsys.readouterr().err
