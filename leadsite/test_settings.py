"""Settings for the test suite: the real settings with test-only overrides."""

import os
import tempfile
from pathlib import Path

# Never the developer's .env: the suite runs on its own settings (subprocesses inherit this).
os.environ["ENV_FILE"] = os.devnull
os.environ.setdefault("SECRET_KEY", "test-secret-key-used-only-by-the-test-suite-0123456789")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="leadsite-test-data-"))
os.environ.setdefault("LOG_LEVEL", "WARNING")

from leadsite.settings import *  # noqa: F403
from leadsite.settings import STORAGES

DEBUG = False
# WhiteNoise warns about a missing STATIC_ROOT; tests serve nothing from it.
STATIC_ROOT = Path(os.environ["DATA_DIR"]) / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
