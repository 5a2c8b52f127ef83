import pytest


@pytest.fixture(autouse=True)
def _isolated_export_storage(settings, tmp_path):
    """Every test writes export files to its own temporary folder."""
    settings.EXPORT_DIRECTORY = tmp_path / "exports"
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exports")},
        },
    }
