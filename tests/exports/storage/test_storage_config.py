import pytest
from django.core.exceptions import ImproperlyConfigured

from leadsite.env import env_choice
from leadsite.storage_config import FILE_SYSTEM_BACKEND, S3_BACKEND, export_storage_config


def test_the_default_is_the_local_export_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("EXPORT_STORAGE_BACKEND", raising=False)

    config = export_storage_config(export_directory=tmp_path)

    assert config == {"BACKEND": FILE_SYSTEM_BACKEND, "OPTIONS": {"location": str(tmp_path)}}


def test_s3_is_configured_from_its_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPORT_STORAGE_BACKEND", "s3")
    monkeypatch.setenv("EXPORT_S3_BUCKET", "leads-exports")
    monkeypatch.setenv("EXPORT_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("EXPORT_S3_PREFIX", "/prod/")

    config = export_storage_config(export_directory=tmp_path)

    assert config["BACKEND"] == S3_BACKEND
    options = config["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["location"]) == (
        "leads-exports",
        "http://127.0.0.1:9000",
        "prod",
    )
    assert options["default_acl"] is None  # never public
    assert options["file_overwrite"] is False


def test_s3_without_a_bucket_stops_start_up_with_a_sentence(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPORT_STORAGE_BACKEND", S3_BACKEND)
    monkeypatch.delenv("EXPORT_S3_BUCKET", raising=False)

    with pytest.raises(ImproperlyConfigured, match="EXPORT_S3_BUCKET must be set"):
        export_storage_config(export_directory=tmp_path)


def test_another_storage_class_is_taken_as_named(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPORT_STORAGE_BACKEND", "myproject.storage.VaultStorage")

    assert export_storage_config(export_directory=tmp_path) == {
        "BACKEND": "myproject.storage.VaultStorage",
        "OPTIONS": {},
    }


def test_download_mode_must_be_one_of_its_words(monkeypatch):
    monkeypatch.setenv("EXPORT_DOWNLOAD_MODE", "Redirect")
    assert env_choice("EXPORT_DOWNLOAD_MODE", "stream", choices=("stream", "redirect")) == "redirect"
    monkeypatch.setenv("EXPORT_DOWNLOAD_MODE", "presign")
    with pytest.raises(ImproperlyConfigured, match="must be one of stream, redirect"):
        env_choice("EXPORT_DOWNLOAD_MODE", "stream", choices=("stream", "redirect"))
