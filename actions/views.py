from django.shortcuts import get_object_or_404, render

from csa_tracker.accounts.access import ALL_ROLES, partnership_view

from .models import Action


@partnership_view(*ALL_ROLES)
def action_detail(request, pk: int):
    action = get_object_or_404(
        Action.objects.visible_to(request.access)
        .select_related("plan_priority__agreement", "plan_priority__priority", "status", "funding")
        .prefetch_related("leads", "supporters"),
        pk=pk,
    )
    published = action.updates.published().select_related("status", "cycle", "author").order_by("-published_at")
    return render(request, "actions/action_detail.html", {"action": action, "published": published})
