"""The export formats, read from the EXPORT_FORMATS setting (dotted paths to format classes).

The only list of formats, as django-import-export's IMPORT_EXPORT_FORMATS: model fields, the
admin actions and export page, the API's choices and OpenAPI enums, the command line and the
dashboard ask here. Cached, and reset when the setting changes (override_settings in tests).
"""

from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver

from exports.datasets.base import Dataset
from exports.formats.base import ExportFormat
from exports.registry_loading import registry_load


@cache
def _formats() -> dict[str, ExportFormat]:
    classes = registry_load(
        "EXPORT_FORMATS", base=ExportFormat, noun="an export format", plural="formats", key_length=_key_length()
    )
    return {key: format_class() for key, format_class in classes.items()}


def _key_length() -> int:
    from exports.models import Export  # the field that stores the key

    return Export._meta.get_field("format").max_length


def get_format(key: str) -> ExportFormat:
    """The format for `key`; raises LookupError for an unknown key."""
    formats = _formats()
    try:
        return formats[key]
    except KeyError:
        raise LookupError(f"Unknown export format {key!r}; choose one of: {', '.join(formats)}.") from None


def available_formats() -> list[ExportFormat]:
    return list(_formats().values())


def format_keys() -> list[str]:
    return list(_formats())


def format_choices() -> list[tuple[str, str]]:
    return [(writer.key, writer.label) for writer in _formats().values()]


def format_label(key: str) -> str:
    formats = _formats()
    return formats[key].label if key in formats else key


def formats_for(dataset: type[Dataset] | str) -> list[ExportFormat]:
    """The formats that can hold exports of `dataset` (a Dataset class or a data type key)."""
    if isinstance(dataset, str):
        from exports.datasets.registry import get_dataset

        dataset = get_dataset(dataset)
    return [writer for writer in _formats().values() if writer.supports(dataset)]


@receiver(setting_changed)
def _reset(*, setting, **kwargs) -> None:
    if setting == "EXPORT_FORMATS":
        _formats.cache_clear()
