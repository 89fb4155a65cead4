"""Editions' files in an S3-compatible object store (a local S3 server), as several application
servers behind one load balancer would share them."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from django.test import Client, override_settings
from moto.server import ThreadedMotoServer

from ..helpers import run

pytestmark = pytest.mark.django_db

BUCKET = "shishin-editions"
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "ap-northeast-1"}


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server: str) -> Iterator[Any]:
    """A new bucket, and the settings that keep editions in it (as SHISHIN_EDITIONS_S3_* would)."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        region_name=KEYS["region_name"],
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": KEYS["region_name"]})
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_server,
        "location": "editions",
        "file_overwrite": False,
        **KEYS,
    }
    from django.conf import settings

    storages = {**settings.STORAGES, "editions": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}}
    with override_settings(STORAGES=storages):
        yield client
    for found in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=found["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_an_edition_is_kept_in_the_object_store_and_served_from_it(s3: Any, seed_path: Path, seed_bytes: bytes) -> None:
    status, _, err = run("import", str(seed_path))
    assert status == 0, err
    keys = [found["Key"] for found in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert len(keys) == 1 and keys[0].startswith("editions/") and keys[0].endswith("-2018-1.txt")
    assert s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read() == seed_bytes
    from shishin.plans.models import Plan

    plan = Plan.objects.get()
    assert Client().get(f"/plans/{plan.pk}/years/2018/report.text").content == seed_bytes
    # A format written on first download goes to the store too, where every server finds it.
    csv = Client().get(f"/plans/{plan.pk}/years/2018/report.csv").content
    stored = {found["Key"]: found for found in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    (csv_key,) = [key for key in stored if key.endswith(".csv")]
    assert (
        hashlib.sha256(s3.get_object(Bucket=BUCKET, Key=csv_key)["Body"].read()).digest()
        == hashlib.sha256(csv).digest()
    )


def test_the_object_store_is_chosen_by_the_environment(
    s3: Any, s3_server: str, seed_path: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHISHIN_", "DATABASE_URL", "DJANGO_", "AWS_"))}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SHISHIN_EDITIONS_S3_BUCKET": BUCKET,
        "SHISHIN_EDITIONS_S3_ENDPOINT": s3_server,
        "SHISHIN_EDITIONS_S3_REGION": KEYS["region_name"],
        "SHISHIN_EDITIONS_S3_ACCESS_KEY": KEYS["access_key"],
        "SHISHIN_EDITIONS_S3_SECRET_KEY": KEYS["secret_key"],
    }
    shishin = str(Path(sys.executable).parent / "shishin")
    for args in (["migrate"], ["import", str(seed_path)]):
        done = subprocess.run([shishin, *args], env=env, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    keys = [found["Key"] for found in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert len(keys) == 1 and keys[0].endswith("-2018-1.txt")
    assert not (tmp_path / "var" / "editions").exists()
