from exports import conf


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
