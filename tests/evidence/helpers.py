"""Evidence files and the progress form posted with one, for the evidence tests."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Status
from csa_tracker.accounts.access import access_for
from evidence.checks import check_upload
from evidence.services import attachment_add
from tests.paths import DATA

FILES = DATA / "evidence"


def upload(name: str, content: bytes | None = None, *, source: str = "") -> SimpleUploadedFile:
    """A file as the browser sends it: `content`, or the bytes of tests/data/evidence/<source or name>."""
    if content is None:
        content = (FILES / (source or name)).read_bytes()
    return SimpleUploadedFile(name, content)


def zip_package(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def with_macros(name: str = "report.docx") -> bytes:
    """A copy of a real document with a VBA project added, as Word stores macros."""
    source = zipfile.ZipFile(FILES / name)
    parts = {entry: source.read(entry) for entry in source.namelist()}
    folder = "word" if name.endswith(".docx") else "xl"
    return zip_package({**parts, f"{folder}/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})


def edit_url(item) -> str:
    return reverse(f"{item.kind.name}_edit", kwargs={"partnership": item.partnership.slug, "pk": item.pk})


def progress_post(update, file=None, *, text="Three workshops delivered.", button="save") -> dict:
    """What the progress form of `update` sends, with `file` in its evidence field."""
    status = Status.objects.filter(partnership=update.partnership).first()
    data = {"text": text, "status": status.pk, "flag": "", "version": update.version, button: "1"}
    if file is not None:
        data["evidence-file"] = file
    return data


def attach(user, item, name: str = "report.pdf"):
    """`name` from tests/data/evidence attached to `item` by `user` (through the service)."""
    access = access_for(user, item.partnership)
    return attachment_add(access=access, item=item, checked=check_upload(name, (FILES / name).read_bytes()))
