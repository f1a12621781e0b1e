"""The Working Group's pages for the plans: a new plan, a plan's title, dates and introduction, a new
priority in a plan, a priority's title, context narrative and notes, and the order of the priorities."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.refusals import Refusal, refuse_on_form

from .forms import NewPriorityForm, NoteFormSet, PlanChangeReasonForm, PlanEditForm, PlanForm, PlanPriorityForm
from .models import Plan, PlanPriority
from .services import plan_create, plan_priority_create, plan_priority_move, plan_priority_update, plan_update


@partnership_view(Can.MANAGE_PLAN)
def plan_new(request):
    """A new plan: the Working Group names it and says when it runs; priorities are added on its page."""
    form = PlanForm(request.POST or None, partnership=request.access.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_create(access=request.access, **form.cleaned_data)
        except ValidationError as exc:
            form.add_validation_error(exc)
        else:
            messages.success(request, f"{plan.title} added. Add its priorities next.")
            return redirect("plan_detail", partnership=request.access.partnership.slug, plan=plan.slug)
    return render(request, "priorities/plan_form.html", {"form": form})


@partnership_view(Can.MANAGE_PLAN)
def plan_edit(request, plan: str):
    """The Working Group edits a plan's title, dates and introduction; the reason goes into the history."""
    plan = get_object_or_404(Plan.objects.manageable_by(request.access), slug=plan)
    form = PlanEditForm(request.POST or None, instance=plan)
    reason_form = PlanChangeReasonForm(request.POST or None)
    back = redirect("plan_detail", partnership=request.access.partnership.slug, plan=plan.slug)
    no_reason_problem = reason_form.is_valid() or not (request.POST.get("reason") or "").strip()
    if request.method == "POST" and form.is_valid() and not form.has_changed() and no_reason_problem:
        # Saved unchanged: nothing to record, so no reason is asked for and no history row is written.
        messages.info(request, "Nothing was changed, so nothing was saved.")
        return back
    if request.method == "POST" and form.is_valid() and reason_form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            plan_update(
                access=request.access,
                plan=plan,
                reason=reason_form.cleaned_data["reason"],
                seen=form.seen,
                **values,
            )
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, "Plan saved; the reason is kept in its history.")
            return back
    return render(request, "priorities/plan_edit.html", {"plan": plan, "form": form, "reason_form": reason_form})


@partnership_view(Can.MANAGE_PLAN)
@require_POST
def priority_move(request, plan: str, priority: str):
    """Move a priority one place up or down in its plan (the button's `direction`), back to the plan."""
    plan_priority = get_object_or_404(
        PlanPriority.objects.manageable_by(request.access), plan__slug=plan, priority__slug=priority
    )
    direction = request.POST.get("direction", "")
    try:
        moved = plan_priority_move(access=request.access, plan_priority=plan_priority, direction=direction)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{moved.title}” moved {direction}: it is now priority {moved.order}.")
    return redirect("plan_detail", partnership=request.access.partnership.slug, plan=plan)


@partnership_view(Can.MANAGE_PLAN)
def priority_new(request, plan: str):
    """A new priority at the end of the plan; its actions are added on its page."""
    plan = get_object_or_404(Plan.objects.manageable_by(request.access), slug=plan)
    form = NewPriorityForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            added = plan_priority_create(access=request.access, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            form.add_validation_error(exc)
        else:
            messages.success(request, f"{added.title} added to {plan.title}. Add its actions next.")
            return redirect(
                "priority_detail",
                partnership=request.access.partnership.slug,
                plan=plan.slug,
                priority=added.priority.slug,
            )
    return render(request, "priorities/priority_new.html", {"form": form, "plan": plan})


@partnership_view(Can.MANAGE_PLAN)
def priority_edit(request, plan: str, priority: str):
    """The Working Group edits a priority's title, context and notes; the reason goes into the history."""
    plan_priority = get_object_or_404(
        PlanPriority.objects.manageable_by(request.access).select_related("plan"),
        plan__slug=plan,
        priority__slug=priority,
    )
    form = PlanPriorityForm(request.POST or None, instance=plan_priority)
    notes = NoteFormSet(request.POST or None, instance=plan_priority)
    reason_form = PlanChangeReasonForm(request.POST or None)
    unchanged = form.is_valid() and notes.is_valid() and not (form.has_changed() or notes.has_changed())
    no_reason_problem = reason_form.is_valid() or not (request.POST.get("reason") or "").strip()
    if request.method == "POST" and unchanged and no_reason_problem:
        # Saved unchanged: nothing to record, so no reason is asked for and no history row is written.
        messages.info(request, "Nothing was changed, so nothing was saved.")
        return redirect("priority_detail", partnership=request.access.partnership.slug, plan=plan, priority=priority)
    if request.method == "POST" and all(f.is_valid() for f in (form, notes, reason_form)):
        try:
            plan_priority_update(
                access=request.access,
                plan_priority=plan_priority,
                form=form,
                notes=notes,
                reason=reason_form.cleaned_data["reason"],
            )
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, "Priority saved; the reason is kept in its history.")
            return redirect(
                "priority_detail", partnership=request.access.partnership.slug, plan=plan, priority=priority
            )
    context = {
        "plan": plan_priority.plan,
        "plan_priority": plan_priority,
        "form": form,
        "notes": notes,
        "reason_form": reason_form,
    }
    return render(request, "priorities/priority_form.html", context)
