from leads import conf


def test_import_max_rows_is_read_when_asked_and_has_its_default_here(settings):
    settings.LEAD_IMPORT_MAX_ROWS = 12
    assert conf.import_max_rows() == 12

    del settings.LEAD_IMPORT_MAX_ROWS
    assert conf.import_max_rows() == conf.DEFAULTS["LEAD_IMPORT_MAX_ROWS"] == 10_000
