"""The storage that holds export files (settings.STORAGES["exports"])."""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header


class _ExportStorage(LazyObject):
    """storages["exports"], looked up on first use and again after STORAGES changes.

    Export.file binds its storage once, when the model class is built; through this proxy it
    still follows settings overrides (tests), as the services do.
    """

    def _setup(self):
        self._wrapped = storages["exports"]


_export_storage = _ExportStorage()


@receiver(setting_changed)
def _reset_export_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _export_storage._wrapped = empty


def export_storage():
    # A callable, so tests and deployments can swap the backend through settings.
    return _export_storage


def _is_object_storage(storage) -> bool:
    # django-storages' S3 backend (and subclasses); imported lazily: it needs boto3.
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:
        return False
    return isinstance(storage._wrapped if isinstance(storage, LazyObject) else storage, S3Storage)


def export_file_open(name: str):
    """Open a stored export file for reading in chunks.

    On S3 the object body is streamed as it arrives (S3File would first copy the whole object);
    elsewhere the storage's own `open()`.
    """
    storage = export_storage()
    if _is_object_storage(storage):
        return _s3_object(storage, name).get()["Body"]
    return storage.open(name, "rb")


def export_file_signed_url(name: str, *, filename: str, content_type: str, seconds: int) -> str | None:
    """A short-lived pre-signed URL that downloads `name` as an attachment, or None where the storage cannot sign."""
    storage = export_storage()
    if not _is_object_storage(storage):
        return None
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    return storage.url(
        name,
        parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
        expire=seconds,
    )


def _s3_object(storage, name: str):
    from storages.utils import clean_name

    return storage.bucket.Object(storage._normalize_name(clean_name(name)))
