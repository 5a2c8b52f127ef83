import os

from exports import conf
from leadsite import settings as project_settings


def test_settings_are_read_when_asked(settings):
    settings.EXPORT_MAX_RECORDS = 7
    settings.QUICK_EXPORT_LIMIT = 3
    settings.EXPORT_CLEANUP_DAYS = 2
    settings.EXPORT_COMPRESSION_LEVEL = 9
    settings.EXPORT_MIN_FREE_MB = 5
    settings.EXPORT_STALE_SECONDS = 120

    assert (conf.max_records(), conf.quick_export_limit(), conf.cleanup_days(), conf.compression_level()) == (
        7,
        3,
        2,
        9,
    )
    assert conf.min_free_bytes() == 5 * 1024 * 1024
    assert conf.stale_seconds() == 120


def test_temp_directory_is_created_inside_the_export_directory(settings, tmp_path):
    settings.EXPORT_DIRECTORY = tmp_path / "somewhere"

    folder = conf.temp_directory()

    assert folder == tmp_path / "somewhere" / "tmp"
    assert folder.is_dir()


def test_each_setting_falls_back_to_its_default_in_conf(settings):
    for name in conf.DEFAULTS:
        if hasattr(settings, name):
            delattr(settings, name)
    settings.DATA_DIR = "/srv/leadsite"

    assert conf.max_records() == 100_000
    assert conf.quick_export_limit() == 10_000
    assert conf.cleanup_days() == 30
    assert conf.compression_level() == 6
    assert conf.csv_copy() is True
    assert conf.min_free_bytes() == 100 * 1024 * 1024
    assert conf.stale_seconds() == 900
    assert str(conf.export_directory()) == "/srv/leadsite/exports"


def test_settings_py_takes_its_export_defaults_from_conf():
    # Without environment variables, settings.py holds exactly conf's defaults (one default per setting).
    for name, default in conf.DEFAULTS.items():
        if default is not None and name not in os.environ:
            assert getattr(project_settings, name) == default, name


def test_csv_copy_is_read_when_asked(settings):
    settings.EXPORT_CSV_COPY = False
    assert conf.csv_copy() is False
