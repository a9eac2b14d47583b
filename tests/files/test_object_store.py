"""Files through the storage API only: with S3_BUCKET set the uploads go to the object store, downloads are
streamed through the portal's views with their headers, and ``copy_files_to_storage`` moves an earlier
deployment's files into the store (moto's in-process S3)."""

from io import StringIO

import boto3
import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.test import override_settings
from moto import mock_aws

from alliances import services
from tests.alliances.conftest import pdf_bytes, upload
from tests.factories import AllianceFactory, member_user

pytestmark = pytest.mark.django_db
BUCKET = "portal-files"


def s3_storages(settings) -> dict:
    return {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": BUCKET, "region_name": "us-east-1", "access_key": "test", "secret_key": "test",
        "default_acl": None, "file_overwrite": False}}}


@pytest.fixture
def bucket(settings):
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
        s3.create_bucket(Bucket=BUCKET)
        with override_settings(STORAGES=s3_storages(settings)):
            yield s3


def keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_an_uploaded_agreement_goes_to_the_object_store_and_is_streamed_back(bucket, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "local"
    member = member_user()
    draft = AllianceFactory(chairman=member.organisation)
    content = pdf_bytes(pages=2)
    agreement = services.upload_agreement(draft, by=member, file=upload(content, "联盟协议.pdf"))
    assert keys(bucket) == [agreement.file.name]
    assert not (tmp_path / "local").exists()
    client.force_login(member)
    response = client.get(f"/alliances/{draft.pk}/agreement/{agreement.pk}/")
    assert b"".join(response.streaming_content) == content
    assert (response["X-Content-Type-Options"], response["Cache-Control"]) == ("nosniff", "private, no-store")
    bucket.delete_object(Bucket=BUCKET, Key=agreement.file.name)
    assert client.get(f"/alliances/{draft.pk}/agreement/{agreement.pk}/").status_code == 404  # row outlived file


def test_copy_files_to_storage_moves_local_files_once_and_checks_them(settings, tmp_path):
    old = tmp_path / "old-media"
    settings.MEDIA_ROOT = old
    member = member_user()
    draft = AllianceFactory(chairman=member.organisation)
    content = pdf_bytes(pages=1)
    agreement = services.upload_agreement(draft, by=member, file=upload(content, "协议.pdf"))
    assert FileSystemStorage(location=old).exists(agreement.file.name)

    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
        s3.create_bucket(Bucket=BUCKET)
        with override_settings(STORAGES=s3_storages(settings)):
            with pytest.raises(CommandError, match="1 file"):
                call_command("copy_files_to_storage", "--check")
            first, again, check = (_run("--from", str(old)), _run("--from", str(old)), _run("--check"))
            assert s3.get_object(Bucket=BUCKET, Key=agreement.file.name)["Body"].read() == content
            s3.delete_object(Bucket=BUCKET, Key=agreement.file.name)
            with pytest.raises(CommandError, match="not in the storage nor in the folder"):
                call_command("copy_files_to_storage", "--from", str(tmp_path / "empty"))
    assert first.startswith("1 copied, 0 already in the storage, 0 missing")
    assert again.startswith("0 copied, 1 already in the storage, 0 missing")
    assert check.startswith("0 copied, 1 already in the storage, 0 missing")


def _run(*args) -> str:
    out = StringIO()
    call_command("copy_files_to_storage", *args, stdout=out)
    return out.getvalue()
