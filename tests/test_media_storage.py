"""Media storage chosen from the environment: the media root, or S3-compatible storage.

No object-storage server runs here: these tests build the settings and the storage as the
app would, and sign an address (which needs no network), but never talk to a bucket.
"""

from __future__ import annotations

import datetime
import io
import runpy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from storages.backends.s3 import S3Storage

from planner.models import Photo
from portability.archive import import_archive
from portability.markdown_import import drafts
from tests.factory import image_upload, make_entry, make_year
from tests.portability.archive_helpers import export_bytes
from tests.test_production import manage

SETTINGS = Path(__file__).resolve().parent.parent / "yearloop" / "settings.py"
S3 = {
    "MEDIA_STORAGE": "s3",
    "S3_BUCKET": "yearloop-media",
    "S3_ENDPOINT_URL": "https://s3.example.com",
    "S3_REGION": "eu-west-1",
    "S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "S3_SECRET_ACCESS_KEY": "example-secret",
}
MEDIA_VARIABLES = [*S3, "S3_SIGNED_URL_SECONDS", "MEDIA_SIGNED_URLS", "MEDIA_ACCEL_REDIRECT"]


def settings_from(monkeypatch, **env: str) -> dict:
    """The settings module run afresh with `env` as the only media variables set."""
    for name in MEDIA_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_it_keeps_media_on_the_media_root_by_default(monkeypatch):
    built = settings_from(monkeypatch)

    assert built["STORAGES"]["default"] == {"BACKEND": "yearloop.storage.MediaStorage"}
    assert built["MEDIA_SIGNED_URLS"] is False
    assert built["SECURE_CSP"]["img-src"] == ["'self'", "data:"]


def test_it_configures_s3_storage_from_the_environment(monkeypatch):
    built = settings_from(monkeypatch, **S3, MEDIA_SIGNED_URLS="1")

    default = built["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "yearloop-media",
        "endpoint_url": "https://s3.example.com",
        "region_name": "eu-west-1",
        "access_key": "AKIAEXAMPLE",
        "secret_key": "example-secret",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 60,
        "signature_version": "s3v4",
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "private, max-age=31536000, immutable"},
        "max_memory_size": 2 * 1024 * 1024,
    }
    assert built["MEDIA_SIGNED_URLS"] is True
    # Browsers check a redirected image against the CSP where it lands: the bucket.
    assert built["SECURE_CSP"]["img-src"] == ["'self'", "data:", "https://s3.example.com"]


def test_the_s3_storage_signs_short_lived_addresses(monkeypatch):
    options = settings_from(monkeypatch, **S3, S3_SIGNED_URL_SECONDS="30")["STORAGES"]["default"]

    storage = S3Storage(**options["OPTIONS"])
    address = urlsplit(storage.url("photos/0a1b/960.webp"))

    assert (address.scheme, address.netloc) == ("https", "s3.example.com")
    assert address.path == "/yearloop-media/photos/0a1b/960.webp"
    query = parse_qs(address.query)
    assert query["X-Amz-Expires"] == ["30"]
    assert query["X-Amz-Credential"][0].startswith("AKIAEXAMPLE/")
    assert "/eu-west-1/s3/" in query["X-Amz-Credential"][0]
    assert query["X-Amz-Signature"]


def test_it_leaves_the_keys_to_the_aws_environment_when_none_are_given(monkeypatch):
    env = {k: v for k, v in S3.items() if not k.startswith("S3_ACCESS") and "SECRET" not in k}

    options = settings_from(monkeypatch, **env)["STORAGES"]["default"]["OPTIONS"]

    assert options["access_key"] is None and options["secret_key"] is None
    assert options["endpoint_url"] == "https://s3.example.com"


def test_it_allows_images_from_aws_when_no_endpoint_is_given(monkeypatch):
    env = {k: v for k, v in S3.items() if k != "S3_ENDPOINT_URL"}

    built = settings_from(monkeypatch, **env, MEDIA_SIGNED_URLS="1")

    assert built["STORAGES"]["default"]["OPTIONS"]["endpoint_url"] is None
    assert built["SECURE_CSP"]["img-src"][-1] == "https://yearloop-media.s3.amazonaws.com"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be one of filesystem, s3, not 'ftp'"),
        ({**S3, "S3_BUCKET": ""}, "MEDIA_STORAGE=s3 needs S3_BUCKET"),
        ({**S3, "S3_BUCKET": "s3://yearloop-media"}, "S3_BUCKET, the bucket's name"),
        ({**S3, "S3_ENDPOINT_URL": "s3.example.com"}, "S3_ENDPOINT_URL must be an http(s)"),
        ({**S3, "S3_REGION": "EU West"}, "S3_REGION must look like eu-west-1"),
        ({**S3, "S3_SECRET_ACCESS_KEY": ""}, "Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY"),
        ({**S3, "S3_SIGNED_URL_SECONDS": "0"}, "S3_SIGNED_URL_SECONDS must be between 1 and 3600"),
        ({**S3, "S3_SIGNED_URL_SECONDS": "a minute"}, "S3_SIGNED_URL_SECONDS must be a whole"),
        ({"MEDIA_SIGNED_URLS": "1"}, "MEDIA_SIGNED_URLS needs MEDIA_STORAGE=s3"),
        ({**S3, "MEDIA_ACCEL_REDIRECT": "/protected-media/"}, "leave it unset"),
    ],
    ids=lambda value: "" if isinstance(value, dict) else value.split(" ")[0],
)
def test_it_refuses_to_start_with_media_settings_missing_or_malformed(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_from(monkeypatch, **env)

    assert message in str(refused.value)


def test_the_app_starts_with_s3_storage_without_reaching_the_bucket():
    # Nothing listens on port 9: a start-up that reached for the bucket would fail.
    result = manage(
        "check", **{**S3, "S3_ENDPOINT_URL": "http://127.0.0.1:9"}, MEDIA_SIGNED_URLS="1"
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.fixture
def storage_in_memory(settings):
    """A storage with nothing on disk, like a bucket: code that opened files by their path
    on the media root, rather than through the storage, would find none."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    yield
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).iterdir())


def test_photos_go_through_the_storage_api_alone(
    storage_in_memory, owner_client, owner, stranger, django_capture_on_commit_callbacks
):
    entry = make_entry(make_year(owner, year=2025), title="Jeju")
    created = owner_client.post(
        reverse("planner:photo_create", args=[entry.pk]),
        {"images": [image_upload(size=(900, 600))]},
    )
    photo = Photo.objects.get()
    assert created.status_code == 302
    assert all(default_storage.exists(name) for name in photo.stored_names())

    served = owner_client.get(photo.file_url("480.webp"))
    assert served.status_code == 200
    assert (
        b"".join(served.streaming_content)
        == default_storage.open(photo.stored_name("480.webp")).read()
    )

    archive = export_bytes(owner)
    import_archive(stranger, io.BytesIO(archive))
    assert Photo.objects.filter(entry__period__year__owner=stranger).count() == 1

    text = "# 2023 review\n\n## January to April\n\n### Graduation\n\n![Cap](graduation.jpg)\n"
    owner_client.post(
        reverse("portability:markdown_import"),
        {"text": text, "images": [image_upload("graduation.jpg", size=(800, 600))]},
    )
    token = owner_client.session[drafts.SESSION_KEY][-1]
    saved = owner_client.post(
        reverse("portability:markdown_import_save"), {"text": text, "year": "2023", "draft": token}
    )
    assert saved.status_code == 302
    assert Photo.objects.get(entry__period__year__year=2023).caption == "Cap"
    assert drafts.names(token) == []

    with time_machine.travel(timezone.now() - datetime.timedelta(days=30)):
        entry.soft_delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_deleted", stdout=io.StringIO())
    assert not any(default_storage.exists(name) for name in photo.stored_names())
