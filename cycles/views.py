"""Working Group pages for reporting cycles: list, create and edit, lock and reopen, and the digest
unsubscribe link. The completeness board is a review page (reviews.board_views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.notifications.models import Delivery
from csa_tracker.notifications.services import notification_choices_save
from csa_tracker.refusals import Refusal, refuse_on_form
from priorities.models import Plan

from . import services
from .forms import CycleForm, CycleReasonForm, ReopenForm
from .models import ReportingCycle
from .unsubscribe import user_for_token


def get_cycle(access, pk: int) -> ReportingCycle:
    """A cycle this person may manage, or 404."""
    return get_object_or_404(ReportingCycle.objects.manageable_by(access).select_related("plan"), pk=pk)


@partnership_view(Can.MANAGE_PLAN)
def cycle_list(request):
    # With the plan each rolled forward into, so a rolled plan links there instead of offering it again (issue 25).
    plans = (
        Plan.objects.for_partnership(request.access.partnership)
        .select_related("next")
        .prefetch_related(Prefetch("cycles", queryset=ReportingCycle.objects.order_by("-period_start")))
    )
    return render(request, "cycles/cycle_list.html", {"plans": plans})


def _cycle_form(request, *, instance=None, initial=None, heading: str):
    form = CycleForm(request.POST or None, instance=instance, initial=initial, partnership=request.access.partnership)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.CYCLE_AUDITED}
        try:
            cycle = services.cycle_save(access=request.access, cycle=instance, fields=fields, seen=form.seen)
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            if cycle is None:
                messages.info(request, f"Nothing was changed in {instance.name}, so nothing was saved.")
                cycle = instance
            else:
                messages.success(request, f"Saved {cycle.name}.")
            return redirect("cycle_board", partnership=request.access.partnership.slug, pk=cycle.pk)
    return render(request, "cycles/cycle_form.html", {"form": form, "heading": heading, "cycle": instance})


@partnership_view(Can.MANAGE_PLAN)
def cycle_create(request):
    return _cycle_form(request, heading="New reporting cycle")


@partnership_view(Can.MANAGE_PLAN)
def cycle_edit(request, pk: int):
    cycle = get_cycle(request.access, pk)
    return _cycle_form(request, instance=cycle, heading=f"Edit {cycle.name}")


@partnership_view(Can.MANAGE_PLAN)
def cycle_next(request, pk: int):
    """The next cycle, prefilled from this one; nothing is created until the form is saved."""
    latest = services.latest_cycle(get_cycle(request.access, pk))
    return _cycle_form(
        request, initial=services.next_cycle_values(latest), heading=f"Start the cycle after {latest.name}"
    )


def _change_state(request, pk: int, *, transition: str, change, form_class=CycleReasonForm):
    cycle = get_cycle(request.access, pk)
    rule = services.CYCLE_RULES[transition]
    form = form_class(request.POST if request.method == "POST" else None, required=rule.needs_reason)
    if request.method == "POST" and form.is_valid():
        try:
            change(access=request.access, cycle=cycle, **form.cleaned_data)
            messages.success(request, f"{cycle.name} is {rule.verb}.")
            return redirect("cycle_board", partnership=request.access.partnership.slug, pk=cycle.pk)
        except Refusal as exc:
            refuse_on_form(form, exc)
    context = {"cycle": cycle, "form": form, "transition": transition, "rule": rule}
    return render(request, "cycles/cycle_state.html", context)


@partnership_view(Can.MANAGE_PLAN)
def cycle_lock(request, pk: int):
    return _change_state(request, pk, transition="lock", change=services.cycle_lock)


@partnership_view(Can.MANAGE_PLAN)
def cycle_reopen(request, pk: int):
    def reopen(**kwargs):
        return services.cycle_reopen(**kwargs, today=timezone.localdate())

    return _change_state(request, pk, transition="reopen", change=reopen, form_class=ReopenForm)


@login_not_required
def digest_unsubscribe(request, token: str):
    """From the link in a digest: no sign-in needed; the signed token names the person. Stopping the
    digest is their notification choice for it set to "no e-mail" (it is still listed in the app)."""
    user = user_for_token(token)
    if user is None:
        raise Http404("This unsubscribe link is not valid.")
    done = False
    if request.method == "POST":
        notification_choices_save(user=user, choices={"queue_digest": Delivery.OFF})
        done = True
    return render(request, "cycles/unsubscribe.html", {"done": done})
