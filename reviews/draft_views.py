"""Pages for unfinished progress in a closed cycle: carry it into the open cycle, or delete it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from actions.models import Action, ProgressUpdate
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.refusals import Refusal
from workflow import drafts


def _update(access, pk: int) -> ProgressUpdate:
    """An update the person may write on (partners: their organisations' actions), else 404."""
    updates = ProgressUpdate.objects.visible_to(access).filter(action__in=Action.objects.editable_by(access))
    return get_object_or_404(updates.select_related("cycle", "action__plan_priority__plan"), pk=pk)


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # never matches: the person is told it changed


@partnership_view(Can.WRITE_PROGRESS)
@require_POST
def update_carry(request, pk: int):
    update = _update(request.access, pk)
    try:
        moved = drafts.update_carry_forward(access=request.access, update=update, version=_version(request))
    except Refusal as exc:
        messages.error(request, str(exc))
        return redirect("update_edit", partnership=request.access.partnership.slug, pk=update.pk)
    messages.success(request, f"Moved into {moved.cycle.name}: you can finish and submit it there.")
    return redirect("update_edit", partnership=request.access.partnership.slug, pk=moved.pk)


@partnership_view(Can.WRITE_PROGRESS)
def update_delete(request, pk: int):
    """GET asks to confirm; POST deletes."""
    update = _update(request.access, pk)
    error = ""
    if request.method == "POST":
        try:
            drafts.update_draft_delete(access=request.access, update=update, version=_version(request))
        except Refusal as exc:
            error = str(exc)
        else:
            messages.success(request, "The draft is deleted.")
            return redirect("my_work", partnership=request.access.partnership.slug)
    context = {"update": update, "error": error, "allowed": drafts.can_delete(request.access, update)}
    return render(request, "cycles/update_delete.html", context)
