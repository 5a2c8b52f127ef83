from pathlib import Path

from django.core.files.base import ContentFile

from exports.services.files import stored_file_delete
from exports.storage import export_storage


def test_deletes_the_file_and_its_own_folder():
    storage = export_storage()
    name = storage.save("2026/01/some-export-id/leads.csv", ContentFile(b"x"))
    neighbour = storage.save("2026/01/other-export-id/leads.csv", ContentFile(b"y"))

    stored_file_delete(name)

    assert not storage.exists(name)
    assert not Path(storage.path(name)).parent.exists()
    assert storage.exists(neighbour)  # the shared month folder and other exports stay


def test_a_missing_file_or_no_name_is_fine():
    stored_file_delete("2026/01/gone/leads.csv")
    stored_file_delete("")
