"""Evidence is kept where no address serves it: a private folder outside MEDIA_ROOT whose files have no
URL, or a private S3 bucket (django-storages) when one is configured."""

import pytest

from csa_tracker.settings import BASE_DIR, MEDIA_ROOT, evidence_storage
from csa_tracker.storage import PrivateStorage


def test_by_default_a_private_folder_outside_the_media_root(monkeypatch):
    monkeypatch.delenv("CSA_EVIDENCE_S3_BUCKET", raising=False)
    monkeypatch.delenv("CSA_EVIDENCE_ROOT", raising=False)
    configured = evidence_storage()
    assert configured == {
        "BACKEND": "csa_tracker.storage.PrivateStorage",
        "OPTIONS": {"location": BASE_DIR / "private"},
    }
    assert not str(configured["OPTIONS"]["location"]).startswith(str(MEDIA_ROOT))


def test_an_s3_bucket_when_one_is_given(monkeypatch):
    monkeypatch.setenv("CSA_EVIDENCE_S3_BUCKET", "kent-csa-evidence")
    monkeypatch.setenv("CSA_EVIDENCE_S3_REGION", "eu-west-2")
    assert evidence_storage() == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "kent-csa-evidence",
            "location": "evidence",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "region_name": "eu-west-2",
        },
    }


def test_private_files_have_no_address(tmp_path):
    with pytest.raises(NotImplementedError, match="no address"):
        PrivateStorage(location=tmp_path).url("evidence/a.pdf")
