from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render

from actions.models import Action
from actions.themes import chosen_theme
from csa_tracker.accounts.access import ALL_ROLES, partnership_view
from csa_tracker.accounts.models import Role
from indicators.models import Indicator
from indicators.selectors import indicator_summaries

from .forms import NoteFormSet, PlanPriorityForm, ReasonForm, RollForwardForm
from .models import Agreement, PlanPriority
from .services import plan_roll_forward


def get_plan(access, slug: str) -> Agreement:
    return get_object_or_404(Agreement.objects.for_partnership(access.partnership), slug=slug)


@partnership_view(*ALL_ROLES)
def plan_list(request):
    plans = Agreement.objects.for_partnership(request.access.partnership).annotate(
        priority_count=Count("plan_priorities", distinct=True)
    )
    return render(request, "priorities/plan_list.html", {"plans": plans})


@partnership_view(*ALL_ROLES)
def plan_detail(request, plan: str):
    agreement = get_plan(request.access, plan)
    theme, theme_form = chosen_theme(request)
    counted = Count("actions", filter=Q(actions__themes=theme)) if theme else Count("actions")
    priorities = agreement.plan_priorities.select_related("priority").annotate(action_count=counted)
    themed = None
    if theme is not None:
        themed = (
            Action.objects.visible_to(request.access)
            .filter(plan_priority__agreement=agreement, themes=theme)
            .select_related("plan_priority", "status")
            .prefetch_related("leads")
        )
    context = {"plan": agreement, "priorities": priorities, "theme": theme, "theme_form": theme_form, "themed": themed}
    return render(request, "priorities/plan_detail.html", context)


@partnership_view(*ALL_ROLES)
def priority_detail(request, plan: str, priority: str):
    agreement = get_plan(request.access, plan)
    theme, theme_form = chosen_theme(request)
    actions = Action.objects.visible_to(request.access).with_plan_details()
    if theme is not None:
        actions = actions.filter(themes=theme)
    plan_priority = get_object_or_404(
        PlanPriority.objects.select_related("priority").prefetch_related(
            "notes",
            Prefetch("actions", queryset=actions),
        ),
        agreement=agreement,
        priority__slug=priority,
    )
    indicators = Indicator.objects.visible_to(request.access).filter(priority=plan_priority.priority)
    context = {
        "plan": agreement,
        "plan_priority": plan_priority,
        "siblings": agreement.plan_priorities.select_related("priority"),
        "indicators": indicator_summaries(indicators),
        "theme": theme,
        "theme_form": theme_form,
    }
    return render(request, "priorities/priority_detail.html", context)


@partnership_view(Role.WORKING_GROUP)
def priority_edit(request, plan: str, priority: str):
    """The Working Group edits a priority's title, context and notes; the reason goes into the history."""
    agreement = get_plan(request.access, plan)
    plan_priority = get_object_or_404(PlanPriority, agreement=agreement, priority__slug=priority)
    form = PlanPriorityForm(request.POST or None, instance=plan_priority)
    notes = NoteFormSet(request.POST or None, instance=plan_priority)
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST" and all(f.is_valid() for f in (form, notes, reason_form)):
        with transaction.atomic():
            notes.save()
            edited = form.save(commit=False)
            edited._change_reason = reason_form.cleaned_data["reason"]
            edited.save()
        messages.success(request, "Priority saved; the reason is kept in its history.")
        return redirect("priority_detail", partnership=request.access.partnership.slug, plan=plan, priority=priority)
    context = {
        "plan": agreement,
        "plan_priority": plan_priority,
        "form": form,
        "notes": notes,
        "reason_form": reason_form,
    }
    return render(request, "priorities/priority_form.html", context)


@partnership_view(Role.WORKING_GROUP)
def plan_roll_forward_page(request, plan: str):
    agreement = get_plan(request.access, plan)
    plan_priorities = agreement.plan_priorities.annotate(
        note_count=Count("notes", distinct=True),
        action_count=Count("actions", distinct=True),
        open_count=Count("actions", filter=Q(actions__status__is_complete=False), distinct=True),
    )
    form = RollForwardForm(request.POST or None, plan_priorities=plan_priorities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new_plan = plan_roll_forward(
                access=request.access,
                plan=agreement,
                title=data["title"],
                slug=data["slug"],
                starts=data["starts"],
                ends=data["ends"],
                titles=form.titles(),
                keep_notes=form.keep_notes(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{new_plan.title} started from {agreement.title}.")
            return redirect("plan_detail", partnership=request.access.partnership.slug, plan=new_plan.slug)
    return render(request, "priorities/roll_forward.html", {"plan": agreement, "form": form})
