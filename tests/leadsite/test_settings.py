"""Settings: read from the environment, documented, and writing nothing to disk when imported."""

import ast
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler

from leadsite.log_files import FolderCreatingRotatingFileHandler

ROOT = Path(__file__).resolve().parents[2]
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list", "env_choice"}
# settings.py and the helpers it reads the environment through (storage_config.py, ...).
SETTINGS_MODULES = sorted(set((ROOT / "leadsite").glob("*.py")) - {ROOT / "leadsite" / "test_settings.py"})


def environment_variables_read_by_settings() -> set[str]:
    return {
        node.args[0].value
        for path in SETTINGS_MODULES
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ENV_READERS
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def readme_configuration_table() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Configuration")
    return readme[start : readme.index("\n## ", start + 1)]


def test_the_reader_finds_the_variables():
    names = environment_variables_read_by_settings()
    assert {"SECRET_KEY", "DATABASE_URL", "TASKS_BACKEND", "CACHE_LOCATION", "STATIC_ROOT", "EXPORT_S3_BUCKET"} <= names


def test_every_variable_settings_reads_is_in_the_readme_table():
    table = readme_configuration_table()
    missing = sorted(name for name in environment_variables_read_by_settings() if f"`{name}`" not in table)
    assert not missing, f"not in README's configuration table: {missing}"


def test_every_variable_settings_reads_is_in_env_example():
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    missing = sorted(environment_variables_read_by_settings() - listed)
    assert not missing, f"not in .env.example: {missing}"


def test_importing_the_settings_creates_no_folder(tmp_path):
    data_dir = tmp_path / "not-yet"
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "LOG_FILE")}
    env.update({"DATA_DIR": str(data_dir), "DEBUG": "true", "SECRET_KEY": "x", "DATABASE_URL": ""})
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'leadsite.settings'; django.setup(); "
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'], settings.LOG_FILE)"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert str(data_dir / "leadsite.sqlite3") in result.stdout
    assert not data_dir.exists()


def test_sqlite_makes_the_folder_of_its_file_when_it_connects(tmp_path, django_db_blocker):
    path = tmp_path / "new" / "folder" / "leadsite.sqlite3"
    databases = ConnectionHandler({"default": {"ENGINE": "leadsite.sqlite", "NAME": path}})
    connection = databases["default"]
    assert not path.parent.exists()

    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                assert cursor.fetchone() == (1,)
        finally:
            connection.close()

    assert path.is_file()
    assert connection.vendor == "sqlite"


def test_the_log_folder_appears_with_the_first_record(tmp_path):
    path = tmp_path / "logs" / "leadsite.log"
    handler = FolderCreatingRotatingFileHandler(path, maxBytes=1024, backupCount=1)
    try:
        assert not path.parent.exists()
        handler.emit(logging.makeLogRecord({"msg": "export finished", "levelno": logging.INFO}))
        handler.flush()
        assert "export finished" in path.read_text()
    finally:
        handler.close()


@pytest.mark.parametrize("module", ["exports.conf", "leads.conf"])
def test_conf_modules_import_nothing_but_settings(module):
    # settings.py reads their defaults, so they must not reach the app registry or models.
    tree = ast.parse((ROOT / (module.replace(".", "/") + ".py")).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"django.conf", "pathlib"}
