"""manage.py turns a configuration mistake into one sentence and a non-zero exit, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(env_changes: dict) -> subprocess.CompletedProcess:
    env = {
        key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("env_changes", "message"),
    [
        ({}, "SECRET_KEY must be set when DEBUG is off."),
        ({"DEBUG": "true", "QUICK_EXPORT_LIMIT": "lots"}, "QUICK_EXPORT_LIMIT must be a whole number"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
    ],
)
def test_configuration_errors_are_one_sentence(env_changes, message, tmp_path):
    result = run_manage({"DATA_DIR": str(tmp_path), **env_changes})
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
