from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from csa_tracker.accounts.access import ALL_ROLES, partnership_view
from csa_tracker.accounts.models import Role
from priorities.forms import ReasonForm
from priorities.models import PlanPriority

from . import services
from .forms import ActionForm
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
    can_write = Action.objects.editable_by(request.access).filter(pk=action.pk).exists()
    context = {"action": action, "published": published, "can_write": can_write}
    return render(request, "actions/action_detail.html", context)


@partnership_view(Role.WORKING_GROUP)
def action_new(request, plan: str, priority: str):
    plan_priority = get_object_or_404(
        PlanPriority.objects.select_related("agreement", "priority"),
        agreement__partnership=request.access.partnership,
        agreement__slug=plan,
        priority__slug=priority,
    )
    form = ActionForm(
        request.POST or None,
        initial={"order": plan_priority.actions.count() + 1},
        partnership=request.access.partnership,
    )
    if request.method == "POST" and form.is_valid():
        action = services.action_create(access=request.access, plan_priority=plan_priority, fields=form.cleaned_data)
        messages.success(request, "Action added to the plan.")
        return redirect("action_detail", partnership=request.access.partnership.slug, pk=action.pk)
    return render(request, "actions/action_form.html", {"form": form, "plan_priority": plan_priority, "action": None})


@partnership_view(Role.WORKING_GROUP)
def action_edit(request, pk: int):
    action = get_object_or_404(Action.objects.manageable_by(request.access).select_related("plan_priority"), pk=pk)
    form = ActionForm(request.POST or None, instance=action, partnership=request.access.partnership)
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and reason_form.is_valid():
        services.action_update(
            access=request.access, action=action, fields=form.cleaned_data, reason=reason_form.cleaned_data["reason"]
        )
        messages.success(request, "Action changed; the reason is in its history.")
        return redirect("action_detail", partnership=request.access.partnership.slug, pk=action.pk)
    context = {"form": form, "reason_form": reason_form, "plan_priority": action.plan_priority, "action": action}
    return render(request, "actions/action_form.html", context)


@partnership_view(Role.WORKING_GROUP)
def action_changes(request, pk: int):
    action = get_object_or_404(Action.objects.manageable_by(request.access), pk=pk)
    records = action.history.select_related("history_user", "status", "funding").order_by("-history_date")
    return render(request, "actions/action_changes.html", {"action": action, "records": records})
