"""A document read at upload waits server-side, in the "imports" storage (`STORAGES["imports"]`, never
served, shared by every instance), between the preview and the import: what was read from it, as JSON,
under an unguessable token, with the partnership and the person it belongs to. It is read once, at
upload; the file itself is not kept. Deleted when imported; anything left is deleted after a day."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

FOLDER = "plans"
KEPT_FOR = timedelta(days=1)


def _name(token: str) -> str:
    return f"{FOLDER}/{token}.json"


def keep(*, access, filename: str, document: dict) -> str:
    """Store what was read from the upload; returns its token."""
    storage = storages["imports"]
    _forget_abandoned(storage)
    token = secrets.token_urlsafe(24)
    record = {"partnership": access.partnership.pk, "user": access.user.pk, "filename": filename, "document": document}
    storage.save(_name(token), ContentFile(json.dumps(record).encode()))
    return token


def kept(*, access, token: str) -> dict | None:
    """The stored upload ({"filename", "document"}) if it is this person's in this partnership, else None."""
    storage = storages["imports"]
    if not token.replace("-", "").replace("_", "").isalnum() or not storage.exists(_name(token)):
        return None
    with storage.open(_name(token)) as found:
        record = json.loads(found.read().decode())
    if record["partnership"] != access.partnership.pk or record["user"] != access.user.pk:
        return None
    return record


def forget(token: str) -> None:
    storages["imports"].delete(_name(token))


def _forget_abandoned(storage) -> None:
    if not storage.exists(FOLDER):
        return
    cutoff = timezone.now() - KEPT_FOR
    for name in storage.listdir(FOLDER)[1]:
        if storage.get_modified_time(f"{FOLDER}/{name}") < cutoff:
            storage.delete(f"{FOLDER}/{name}")
