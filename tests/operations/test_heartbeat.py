from datetime import timedelta

import pytest
from django.utils import timezone

from operations.models import WorkerHeartbeat, WorkerKind
from operations.selectors import worker_ids_gone, worker_liveness
from operations.services.heartbeat import worker_heartbeat_beat, worker_heartbeat_start, worker_heartbeat_stop
from tests.operations.factories import WorkerHeartbeatFactory

pytestmark = pytest.mark.django_db


def test_start_records_which_worker_where_and_when():
    heartbeat = worker_heartbeat_start(worker_id="w1")

    assert heartbeat.kind == WorkerKind.WORKER
    assert heartbeat.host and heartbeat.pid
    assert heartbeat.started_at == heartbeat.last_seen_at
    assert heartbeat.stopped_at is None


def test_a_beat_moves_last_seen_forward_and_a_restart_clears_the_stop():
    WorkerHeartbeatFactory(worker_id="w1", last_seen_at=timezone.now() - timedelta(minutes=5))
    worker_heartbeat_stop(worker_id="w1")

    worker_heartbeat_beat(worker_id="w1")

    heartbeat = WorkerHeartbeat.objects.get(worker_id="w1")
    assert timezone.now() - heartbeat.last_seen_at < timedelta(seconds=5)
    assert heartbeat.stopped_at is None


def test_a_beat_without_a_row_registers_again():
    worker_heartbeat_beat(worker_id="w9", kind=WorkerKind.SCHEDULER)

    assert WorkerHeartbeat.objects.get(worker_id="w9").kind == WorkerKind.SCHEDULER


def test_liveness_counts_only_recent_running_workers(settings):
    settings.WORKER_DEAD_SECONDS = 60
    now = timezone.now()
    assert not worker_liveness().alive
    assert worker_liveness().seconds_since_seen() is None

    WorkerHeartbeatFactory(worker_id="old", last_seen_at=now - timedelta(seconds=90))
    WorkerHeartbeatFactory(worker_id="stopped", last_seen_at=now - timedelta(seconds=5), stopped_at=now)
    liveness = worker_liveness(now=now)
    assert not liveness.alive
    assert liveness.seconds_since_seen(now=now) == 5
    assert worker_ids_gone(among=["old", "stopped", "unregistered"], now=now) == {"old", "stopped"}

    WorkerHeartbeatFactory(worker_id="live", last_seen_at=now - timedelta(seconds=30))
    assert worker_liveness(now=now).alive
    assert worker_ids_gone(among=["live"], now=now) == set()


def test_schedulers_do_not_count_as_export_workers():
    WorkerHeartbeatFactory(kind=WorkerKind.SCHEDULER)

    assert not worker_liveness().alive
    assert worker_liveness(kind=WorkerKind.SCHEDULER).alive
