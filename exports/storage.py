"""The storage that holds export files (settings.STORAGES["exports"])."""

from django.core.files.storage import storages


def export_storage():
    # A callable, so tests and deployments can swap the backend through settings.
    return storages["exports"]
