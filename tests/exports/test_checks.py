import pytest
from django.core import checks

from exports import checks as export_checks


def test_a_missing_export_directory_is_created(settings, tmp_path):
    folder = tmp_path / "new" / "exports"
    _use_folder(settings, folder)

    assert export_checks.check_export_directory() == []
    assert folder.is_dir()


def test_a_directory_that_cannot_be_created_is_an_error(settings, tmp_path):
    blocker = tmp_path / "exports"
    blocker.write_text("a file where the folder should be")
    _use_folder(settings, blocker)

    errors = export_checks.check_export_directory()

    assert [error.id for error in errors] == ["exports.E001"]
    assert str(blocker) in errors[0].msg
    assert "EXPORT_DIRECTORY" in errors[0].hint


def test_a_read_only_directory_is_an_error(settings, tmp_path, monkeypatch):
    _use_folder(settings, tmp_path)
    # Tests may run as root, who can write anywhere: ask the check's own question a different answer.
    monkeypatch.setattr(export_checks.os, "access", lambda path, mode: False)

    assert [error.id for error in export_checks.check_export_directory()] == ["exports.E002"]


def test_other_storages_are_not_checked(settings):
    settings.STORAGES = {**settings.STORAGES, "exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}

    assert export_checks.check_export_directory() == []


def test_the_check_is_registered(settings, tmp_path):
    blocker = tmp_path / "exports"
    blocker.write_text("")
    _use_folder(settings, blocker)

    assert "exports.E001" in [message.id for message in checks.run_checks(tags=[checks.Tags.files])]


def _use_folder(settings, folder):
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }


def test_a_wrong_format_entry_is_a_check_error_naming_it(settings):
    settings.EXPORT_FORMATS = [*settings.EXPORT_FORMATS, "exports.formats.missing.TsvFormat"]

    errors = export_checks.check_registries()

    assert [error.id for error in errors] == ["exports.E003"]
    assert "exports.formats.missing.TsvFormat" in errors[0].msg


def test_a_wrong_dataset_entry_is_a_check_error_naming_it(settings):
    settings.EXPORT_DATASETS = ["exports.datasets.leads.summary_table"]

    errors = export_checks.check_registries()

    assert [error.id for error in errors] == ["exports.E004"]
    assert "is not an exports Dataset class" in errors[0].msg


@pytest.mark.django_db
def test_manage_check_reports_a_wrong_format_entry_instead_of_crashing(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.EXPORT_FORMATS = ["exports.formats.delimited.NoSuchFormat"]

    with pytest.raises(SystemCheckError, match=r"exports\.E003"):
        call_command("check")


def test_the_registries_as_configured_pass():
    assert export_checks.check_registries() == []
