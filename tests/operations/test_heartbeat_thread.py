"""The heartbeat thread beside a worker or the scheduler stops with its process, not after it."""

import threading

from operations.services import worker
from operations.services.worker import HeartbeatThread


def test_stop_returns_once_the_beat_in_progress_has_finished(monkeypatch):
    # A beat still writing when the process (or a test) moves on would hold the database meanwhile.
    beating, finish = threading.Event(), threading.Event()
    finished = []

    def slow_beat(**kwargs):
        beating.set()
        finish.wait(5)
        finished.append(True)

    monkeypatch.setattr(worker, "worker_heartbeat_beat", slow_beat)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    heartbeat = HeartbeatThread(worker_id="test-heartbeat", recover=False)
    heartbeat.start()
    assert beating.wait(5)
    threading.Timer(0.3, finish.set).start()

    heartbeat.stop()

    assert finished == [True]
    assert not heartbeat.is_alive()
