import pytest

from tests.factories import CategoryFactory, LocationFactory


@pytest.fixture(autouse=True)
def _isolated_import_directory(settings, tmp_path):
    """Every test keeps uploads and spool files in its own folder."""
    settings.LEAD_IMPORT_DIRECTORY = tmp_path / "imports"


@pytest.fixture
def sites():
    return {
        "sfbay": LocationFactory(name="SF bay area", site_code="sfbay"),
        "newyork": LocationFactory(name="New York City", site_code="newyork"),
        "sss": CategoryFactory(name="for sale", code="sss"),
        "cta": CategoryFactory(name="cars+trucks", code="cta"),
    }
