"""Where export files are stored: a local folder by default, or S3-compatible object storage.

EXPORT_STORAGE_BACKEND names any Django storage class; `s3` is short for django-storages' S3
backend, configured from EXPORT_S3_* variables (credentials come from the usual AWS variables
or the machine's role, as boto3 finds them). Used by settings.py only.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from leadsite.env import env_int, env_str

FILE_SYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"
BACKEND_ALIASES = {"s3": S3_BACKEND, "filesystem": FILE_SYSTEM_BACKEND}


def export_storage_config(*, export_directory: Path) -> dict:
    backend = env_str("EXPORT_STORAGE_BACKEND", FILE_SYSTEM_BACKEND)
    backend = BACKEND_ALIASES.get(backend.lower(), backend)
    if backend == FILE_SYSTEM_BACKEND:
        return {"BACKEND": backend, "OPTIONS": {"location": str(export_directory)}}
    if backend == S3_BACKEND:
        return {"BACKEND": backend, "OPTIONS": s3_options()}
    return {"BACKEND": backend, "OPTIONS": {}}


def s3_options() -> dict:
    bucket = env_str("EXPORT_S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured("EXPORT_S3_BUCKET must be set when EXPORT_STORAGE_BACKEND is S3.")
    return {
        "bucket_name": bucket,
        "location": env_str("EXPORT_S3_PREFIX", "exports").strip("/"),
        "endpoint_url": env_str("EXPORT_S3_ENDPOINT_URL") or None,
        "region_name": env_str("EXPORT_S3_REGION") or None,
        "default_acl": None,  # private objects; downloads go through the permission check
        "file_overwrite": False,
        "signature_version": "s3v4",
        # S3File spools reads to disk past this size, so a large file is never held in memory.
        "max_memory_size": env_int("EXPORT_S3_MAX_MEMORY_MB", 8, minimum=1) * 1024 * 1024,
        "querystring_auth": True,
    }
