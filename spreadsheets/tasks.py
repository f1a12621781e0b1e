"""The imports' background work (Django's Tasks API): a large file's confirmed rows are written by the
worker, not inside the request (issue 26); the upload's page says when they are in."""

from django.contrib.auth import get_user_model
from django_tasks import task

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Partnership
from csa_tracker.refusals import Refusal

from .pipeline import IMPORTS, Upload


@task()
def confirm_upload(token: str, user_id: int, partnership_id: int) -> None:
    """Confirm the person's upload as they asked, with their roles as they are now (a role lost since is a
    refusal). Safe to run twice: a confirmed upload keeps only its outcome, and its rows are written in one
    transaction or not at all."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    access = access_for(user, partnership) if user and partnership else None
    if access is None:
        return  # no longer a member: nothing to write, and nobody to show it to
    upload = Upload.load(access, token)
    if upload.outcome.get("state") != "queued":
        return  # already settled (a job run again after a worker stopped)
    try:
        upload.confirm(access, IMPORTS[upload.meta["kind"]](upload.meta, partnership))
    except Refusal as exc:
        upload.settle({"state": "refused", "message": str(exc)})
