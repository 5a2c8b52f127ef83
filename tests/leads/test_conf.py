from leads import conf


def test_import_max_rows_is_read_when_asked_and_has_its_default_here(settings):
    settings.EXPORT_MAX_RECORDS = 5
    settings.LEAD_IMPORT_MAX_ROWS = 12
    assert conf.import_max_rows() == 12

    del settings.LEAD_IMPORT_MAX_ROWS
    assert conf.import_max_rows() == conf.DEFAULTS["LEAD_IMPORT_MAX_ROWS"] == 100_000


def test_the_import_limit_is_never_below_the_export_limit(settings):
    settings.LEAD_IMPORT_MAX_ROWS = 10
    settings.EXPORT_MAX_RECORDS = 500
    assert conf.import_max_rows() == 500
