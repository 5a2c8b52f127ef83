import os
import shutil

import pytest
from hypothesis import HealthCheck, settings

# Property tests: no example database in the work tree, no timing deadline on a shared machine.
settings.register_profile(
    "leadsite", database=None, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("leadsite")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require_tool(name: str, *, package: str) -> str:
    """The path of the program `name`; without it the test is skipped, or fails under CI=true (CI installs it)."""
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed (apt-get install {package})."
    if in_ci():
        pytest.fail(f"{message} CI must run this test.", pytrace=False)
    pytest.skip(message)


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
