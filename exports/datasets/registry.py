"""The export data types, read from the EXPORT_DATASETS setting (dotted paths to Dataset classes).

The only list of data types: model fields, services, the admin, the API and the command line ask
here. Cached, and reset when the setting changes (override_settings in tests).
"""

from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver

from exports.datasets.base import Dataset
from exports.registry_loading import registry_load


@cache
def _datasets() -> dict[str, type[Dataset]]:
    return registry_load(
        "EXPORT_DATASETS", base=Dataset, noun="an exports Dataset", plural="data types", key_length=_key_length()
    )


def _key_length() -> int:
    from exports.models import Export  # the field that stores the key

    return Export._meta.get_field("data_type").max_length


def available_datasets() -> list[type[Dataset]]:
    return list(_datasets().values())


def dataset_keys() -> list[str]:
    return list(_datasets())


def dataset_choices() -> list[tuple[str, str]]:
    return [(dataset.key, dataset.label) for dataset in _datasets().values()]


def get_dataset(key: str) -> type[Dataset]:
    """The Dataset class for `key`; raises LookupError for an unknown key."""
    try:
        return _datasets()[key]
    except KeyError:
        raise LookupError(f"Unknown data type {key!r}; choose one of: {', '.join(_datasets())}.") from None


def dataset_label(key: str) -> str:
    try:
        return get_dataset(key).label
    except LookupError:
        return key


@receiver(setting_changed)
def _reset(*, setting, **kwargs) -> None:
    if setting == "EXPORT_DATASETS":
        _datasets.cache_clear()
