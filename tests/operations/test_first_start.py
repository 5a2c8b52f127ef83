"""The first five minutes: the .env that scripts/run writes, and its one set-up command."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from leads.models import Lead
from leadsite.env import load_env_file

BASE_DIR = Path(settings.BASE_DIR)


def manage(*args: str, env_changes: dict) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": "leadsite.settings", **env_changes})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180
    )


def test_the_env_file_fills_in_what_the_environment_lacks(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text("LEADSITE_TEST_A=from-file\nLEADSITE_TEST_B=from-file\n")
    monkeypatch.setenv("ENV_FILE", str(env_file))
    monkeypatch.setenv("LEADSITE_TEST_B", "from-environment")
    monkeypatch.delenv("LEADSITE_TEST_A", raising=False)

    assert load_env_file(tmp_path / "unused") == env_file

    assert os.environ["LEADSITE_TEST_A"] == "from-file"
    assert os.environ["LEADSITE_TEST_B"] == "from-environment"
    monkeypatch.delenv("LEADSITE_TEST_A")


def test_a_missing_env_file_is_fine(tmp_path, monkeypatch):
    monkeypatch.setenv("ENV_FILE", str(tmp_path / "none"))

    assert load_env_file(tmp_path / "none") is None


def test_manage_py_works_with_the_env_file_scripts_run_writes(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\nSECRET_KEY=generated-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789\n")

    result = manage("check", env_changes={"ENV_FILE": str(env_file), "DATA_DIR": str(tmp_path)})

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("secret", ["", "change-me-to-a-long-random-string"], ids=["none", "the-placeholder"])
def test_production_still_refuses_to_start_without_a_real_secret(tmp_path, secret):
    env_file = tmp_path / ".env"
    env_file.write_text(f"SECRET_KEY={secret}\n")

    result = manage("check", env_changes={"ENV_FILE": str(env_file), "DATA_DIR": str(tmp_path)})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr
    assert "Traceback" not in result.stderr


def test_the_test_settings_never_read_an_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("QUICK_EXPORT_LIMIT=7\n")
    code = "import django; django.setup(); from django.conf import settings; print(settings.QUICK_EXPORT_LIMIT)"

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "leadsite.test_settings", "ENV_FILE": str(env_file)}
    env.pop("QUICK_EXPORT_LIMIT", None)
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "10000"


@pytest.mark.django_db
def test_setup_local_loads_demo_data_and_logins_once(settings, capsys):
    settings.DEBUG = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t_cache"}}

    call_command("setup_local", leads=20)
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed-by-the-admin")
    admin.save()
    call_command("setup_local", leads=20)

    assert Lead.objects.count() == 20
    admin.refresh_from_db()
    assert admin.check_password("changed-by-the-admin")
    output = capsys.readouterr().out
    assert "already exist (--if-empty)" in output
    assert "Migrating" not in output  # nothing to migrate: the step is skipped
