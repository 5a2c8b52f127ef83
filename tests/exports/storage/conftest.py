"""An S3-compatible server (moto's server mode) on loopback, and the export storage pointed at it."""

import socket
import subprocess
import sys
import time
import uuid

import boto3
import pytest

from leadsite.storage_config import S3_BACKEND

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "leadsite-test", "AWS_SECRET_ACCESS_KEY": "leadsite-test-secret"}
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The S3 test server exited with code {process.returncode}.")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"The S3 test server did not listen on port {port} within {seconds} s.")


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a moto S3 server running in its own process for the whole test session."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_client(s3_endpoint, monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)


@pytest.fixture
def s3_bucket(s3_client, s3_endpoint, settings):
    """A fresh bucket per test, and the export storage configured for it (as EXPORT_STORAGE_BACKEND=s3 does)."""
    bucket = f"leadsite-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                "bucket_name": bucket,
                "location": "exports",
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "default_acl": None,
                "file_overwrite": False,
                "signature_version": "s3v4",
                "max_memory_size": 1024 * 1024,
                "querystring_auth": True,
            },
        },
    }
    return bucket


def bucket_keys(client, bucket: str) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
