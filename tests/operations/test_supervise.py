"""scripts/run's supervision (scripts/_supervise.sh): restart what exits, stop everything on request."""

import os
import subprocess
import time
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def run_bash(script: str, *, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", f"set -euo pipefail\n. scripts/_supervise.sh\n{script}"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): look at its state.
    state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] if Path(f"/proc/{pid}").exists() else "X"
    return state not in ("Z", "X")


def test_a_command_that_exits_is_started_again(tmp_path):
    log = tmp_path / "starts"
    result = run_bash(
        f"""
        RESTART_DELAY=0.1
        supervise "flaky job" sh -c 'echo started >> {log}; exit 3' &
        supervisor=$!
        sleep 2
        kill -TERM "$supervisor"
        wait "$supervisor"
        """
    )

    assert result.returncode == 0, result.stderr
    assert log.read_text().count("started") >= 3
    assert "The flaky job stopped (exit code 3); starting it again" in result.stderr


def test_stopping_the_supervisor_stops_its_command(tmp_path):
    pid_file = tmp_path / "pid"
    result = run_bash(
        f"""
        supervise "sleeper" sh -c 'echo $$ > {pid_file}; exec sleep 300' &
        supervisor=$!
        while [ ! -s {pid_file} ]; do sleep 0.1; done
        kill -TERM "$supervisor"
        wait "$supervisor"
        """
    )

    assert result.returncode == 0, result.stderr
    assert not alive(int(pid_file.read_text()))
    assert "starting it again" not in result.stderr  # asked to stop: not restarted


def test_a_command_that_ignores_sigterm_is_killed_after_the_timeout(tmp_path):
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    result = run_bash(
        f"""
        STOP_TIMEOUT=1
        supervise "stubborn" sh -c 'trap "" TERM; echo $$ > {pid_file}; while true; do sleep 0.1; done' &
        supervisor=$!
        while [ ! -s {pid_file} ]; do sleep 0.1; done
        kill -TERM "$supervisor"
        wait "$supervisor"
        """
    )

    assert result.returncode == 0, result.stderr
    assert not alive(int(pid_file.read_text()))
    assert time.monotonic() - started < 30


def test_ctrl_c_reaching_the_supervisor_stops_its_command(tmp_path):
    # Ctrl-C signals the terminal's whole process group: the supervisor gets SIGINT too, and must take
    # its command with it rather than die and leave it running (a scheduler outliving scripts/run).
    pid_file = tmp_path / "pid"
    result = run_bash(
        f"""
        supervise "sleeper" sh -c 'echo $$ > {pid_file}; exec sleep 300' &
        supervisor=$!
        while [ ! -s {pid_file} ]; do sleep 0.1; done
        kill -INT "$supervisor"
        wait "$supervisor" || true
        """,
        timeout=30,
    )

    assert result.returncode == 0, result.stderr
    assert not alive(int(pid_file.read_text()))
