"""The storage that holds export files (settings.STORAGES["exports"])."""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


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
