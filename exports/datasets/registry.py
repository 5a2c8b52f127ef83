"""The export data types, read from the EXPORT_DATASETS setting (dotted paths to Dataset classes).

The only list of data types: model fields, services, the admin, the API and the command line ask
here. Cached, and reset when the setting changes (override_settings in tests).
"""

from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from exports import conf
from exports.datasets.base import Dataset


@cache
def _datasets() -> dict[str, type[Dataset]]:
    found: dict[str, type[Dataset]] = {}
    for path in conf.setting("EXPORT_DATASETS"):
        try:
            dataset = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(f"EXPORT_DATASETS: cannot import {path!r} ({error}).") from error
        if not (isinstance(dataset, type) and issubclass(dataset, Dataset)):
            raise ImproperlyConfigured(f"EXPORT_DATASETS: {path!r} is not an exports Dataset class.")
        if dataset.key in found:
            raise ImproperlyConfigured(f"EXPORT_DATASETS: two data types use the key {dataset.key!r}.")
        if len(dataset.key) > _key_length():
            raise ImproperlyConfigured(
                f"EXPORT_DATASETS: the key {dataset.key!r} is longer than {_key_length()} characters."
            )
        found[dataset.key] = dataset
    return found


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
