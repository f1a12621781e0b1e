"""Downloading evidence (for whoever may read its item, by the item's policy; for anyone where the
partnership's published material is public and the item is published) and removing it from a draft."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.accounts.published import published_view
from csa_tracker.refusals import Refusal

from . import services
from .models import Attachment

# Shown in the browser; anything else is downloaded.
INLINE = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


def readable_attachment(access, pk: int) -> Attachment:
    """The attachment, if its item is one this person may read (`kind.visible`); 404 otherwise."""
    attachment = get_object_or_404(Attachment.objects.select_related("update", "reading"), pk=pk)
    item = attachment.item
    if not item.kind.visible(access).filter(pk=item.pk).exists():
        raise Http404("No such file.")
    return attachment


@published_view(sign_in=False)
def attachment_download(request, pk: int):
    attachment = readable_attachment(request.access, pk)
    try:
        stored = services.evidence_storage().open(attachment.stored_name, "rb")
    except FileNotFoundError as exc:
        raise Http404("The stored file is missing; the Working Group has been told in the logs.") from exc
    response = FileResponse(
        stored,
        content_type=attachment.content_type,
        as_attachment=attachment.content_type not in INLINE,
        filename=attachment.name,
    )
    response["Content-Length"] = attachment.size
    # Members' evidence: browsers may keep it, shared caches never.
    response["Cache-Control"] = "private, no-cache"
    return response


@partnership_view(Can.WRITE_PROGRESS)
@require_POST
def attachment_remove(request, pk: int):
    attachment = readable_attachment(request.access, pk)
    item = attachment.item
    try:
        services.attachment_remove(access=request.access, attachment=attachment)
        messages.success(request, f"Removed “{attachment.name}”.")
    except Refusal as exc:
        messages.error(request, str(exc))
    return redirect(f"{item.kind.name}_edit", partnership=request.access.partnership.slug, pk=item.pk)
