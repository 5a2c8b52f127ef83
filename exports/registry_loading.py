"""Reading a registry setting (EXPORT_FORMATS, EXPORT_DATASETS): dotted paths to classes, one per key.

Both registries load the same way and fail with the same sentences; the system check
(`exports.checks`) turns those failures into `manage.py check` errors instead of a first-request crash.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from exports import conf


def registry_load(setting_name: str, *, base: type, noun: str, plural: str, key_length: int) -> dict[str, type]:
    """The classes `setting_name` lists, by key; ImproperlyConfigured names the entry that is wrong."""
    found: dict[str, type] = {}
    for path in conf.setting(setting_name):
        try:
            loaded = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(f"{setting_name}: cannot import {path!r} ({error}).") from error
        if not (isinstance(loaded, type) and issubclass(loaded, base)):
            raise ImproperlyConfigured(f"{setting_name}: {path!r} is not {noun} class.")
        if loaded.key in found:
            raise ImproperlyConfigured(f"{setting_name}: two {plural} use the key {loaded.key!r}.")
        if len(loaded.key) > key_length:
            raise ImproperlyConfigured(
                f"{setting_name}: the key {loaded.key!r} is longer than {key_length} characters."
            )
        found[loaded.key] = loaded
    return found
