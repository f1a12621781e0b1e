from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.audit.models import AuditEntry
from csa_tracker.ordering import next_order
from csa_tracker.refusals import Refusal, refuse_on_form
from cycles.notice import no_cycle_notice
from priorities.forms import PlanChangeReasonForm
from priorities.lineage import rolled_into
from priorities.models import Plan, PlanPriority

from . import services
from .forms import ActionForm, RollForwardForm
from .history import earlier_versions, escalations_for_action, mark_versions
from .models import Action
from .roll_forward import open_actions_left_behind, plan_roll_forward
from .writing import write_target


@partnership_view(Can.READ)
def action_detail(request, pk: int):
    action = get_object_or_404(
        Action.objects.visible_to(request.access)
        .select_related("plan_priority__plan", "plan_priority__priority", "status", "funding")
        .prefetch_related("leads", "supporters", "themes"),
        pk=pk,
    )
    published = mark_versions(
        action.updates.published().select_related("status", "cycle", "author").order_by("-published_at", "-pk")
    )
    editable = Action.objects.editable_by(request.access).filter(pk=action.pk).exists()
    # "Write or continue progress" only where the write page takes it (issue 25).
    can_write = editable and (action.updates.open().exists() or write_target(action) is not None)
    notice = None
    if editable and not can_write:
        notice = no_cycle_notice(request.access.partnership, action.plan_priority.plan)
    context = {
        "notice": notice,
        "action": action,
        "published": published,
        "can_write": can_write,
        "earlier": earlier_versions(action),
        "carried_to": action.carried_to.select_related("plan_priority__plan").first(),
        "escalations": escalations_for_action(request.access, action),
    }
    return render(request, "actions/action_detail.html", context)


@partnership_view(Can.MANAGE_PLAN)
def action_new(request, plan: str, priority: str):
    plan_priority = get_object_or_404(
        PlanPriority.objects.manageable_by(request.access).select_related("plan", "priority"),
        plan__slug=plan,
        priority__slug=priority,
    )
    form = ActionForm(
        request.POST or None,
        initial={"order": next_order(plan_priority.actions.all())},  # last in the priority (issue 25)
        partnership=request.access.partnership,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and plan_priority.actions.filter(wording=form.cleaned_data["wording"])
    ):
        # A second click on "Add" (or the same action typed twice) would add it twice.
        form.add_error("wording", "This priority already has an action with exactly this wording.")
    if request.method == "POST" and form.is_valid():
        action = services.action_create(access=request.access, plan_priority=plan_priority, fields=form.cleaned_data)
        messages.success(request, "Action added to the plan.")
        return redirect("action_detail", partnership=request.access.partnership.slug, pk=action.pk)
    return render(request, "actions/action_form.html", {"form": form, "plan_priority": plan_priority, "action": None})


@partnership_view(Can.MANAGE_PLAN)
def action_edit(request, pk: int):
    action = get_object_or_404(Action.objects.manageable_by(request.access).select_related("plan_priority"), pk=pk)
    form = ActionForm(request.POST or None, instance=action, partnership=request.access.partnership)
    reason_form = PlanChangeReasonForm(request.POST or None)
    no_reason_problem = reason_form.is_valid() or not (request.POST.get("reason") or "").strip()
    if request.method == "POST" and form.is_valid() and not form.has_changed() and no_reason_problem:
        # Saved unchanged: nothing to record, so no reason is asked for and no history row is written.
        messages.info(request, "Nothing was changed, so nothing was saved.")
        return redirect("action_detail", partnership=request.access.partnership.slug, pk=action.pk)
    if request.method == "POST" and form.is_valid() and reason_form.is_valid():
        try:
            services.action_update(
                access=request.access,
                action=action,
                fields=form.cleaned_data,
                reason=reason_form.cleaned_data["reason"],
                seen=form.seen,
            )
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, "Action changed; the reason is in its history.")
            return redirect("action_detail", partnership=request.access.partnership.slug, pk=action.pk)
    context = {"form": form, "reason_form": reason_form, "plan_priority": action.plan_priority, "action": action}
    return render(request, "actions/action_form.html", context)


@partnership_view(Can.MANAGE_PLAN)
def action_changes(request, pk: int):
    action = get_object_or_404(Action.objects.manageable_by(request.access), pk=pk)
    entries = AuditEntry.objects.for_object(action).select_related("actor")
    return render(request, "actions/action_changes.html", {"action": action, "entries": entries})


@partnership_view(Can.MANAGE_PLAN)
def plan_roll_forward_page(request, plan: str):
    plan = get_object_or_404(Plan.objects.manageable_by(request.access), slug=plan)
    next_plan = rolled_into(plan)
    if next_plan is not None:
        # A plan rolls forward once: say where it went instead of a form that would be refused (issue 25).
        return render(request, "priorities/roll_forward_done.html", {"plan": plan, "next_plan": next_plan})
    plan_priorities = plan.plan_priorities.annotate(
        note_count=Count("notes", distinct=True),
        action_count=Count("actions", distinct=True),
        open_count=Count("actions", filter=Q(actions__status__is_complete=False), distinct=True),
    ).order_by("order", "pk")  # the plan's order: a query with a count drops the model's default ordering
    form = RollForwardForm(request.POST or None, plan=plan, plan_priorities=plan_priorities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        drop = form.drop()
        try:
            new_plan = plan_roll_forward(
                access=request.access,
                plan=plan,
                title=data["title"],
                slug=data["slug"],
                starts=data["starts"],
                ends=data["ends"],
                titles=form.titles(),
                keep_notes=form.keep_notes(),
                drop=drop,
                merge_into=form.merge_into(),
            )
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            left = open_actions_left_behind(form.plan_priorities, drop)
            behind = f" {left} open action{pluralize(left)} of dropped priorities stay in {plan.title}." if drop else ""
            messages.success(request, f"{new_plan.title} started from {plan.title}.{behind}")
            return redirect("plan_detail", partnership=request.access.partnership.slug, plan=new_plan.slug)
    return render(request, "priorities/roll_forward.html", {"plan": plan, "form": form})
