"""Working Group pages for reporting cycles: list, create and edit, lock and reopen, the
completeness board with its exports and update requests, and the digest unsubscribe link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions.models import Action
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.models import Role
from csa_tracker.sorting import sorting_from
from priorities.models import Agreement
from spreadsheets.cells import table_response

from . import services
from .board import BOARD_STATES, build_board
from .forms import BoardFilterForm, CycleForm, ReasonForm
from .models import CycleEvent, CycleState, NotificationPreference, ReportingCycle
from .reminders import request_update, user_for_token

WG = Role.WORKING_GROUP


def _cycle(access, pk: int) -> ReportingCycle:
    cycles = ReportingCycle.objects.in_partnership(access.partnership).select_related("agreement")
    return get_object_or_404(cycles, pk=pk)


@partnership_view(WG)
def cycle_list(request):
    plans = Agreement.objects.for_partnership(request.access.partnership).prefetch_related(
        Prefetch("cycles", queryset=ReportingCycle.objects.order_by("-period_start"))
    )
    return render(request, "cycles/cycle_list.html", {"plans": plans})


def _cycle_form(request, *, instance=None, initial=None, heading: str):
    form = CycleForm(request.POST or None, instance=instance, initial=initial, partnership=request.access.partnership)
    if request.method == "POST" and form.is_valid():
        cycle = form.save()
        messages.success(request, f"Saved {cycle.name}.")
        return redirect("cycle_board", partnership=request.access.partnership.slug, pk=cycle.pk)
    return render(request, "cycles/cycle_form.html", {"form": form, "heading": heading, "cycle": instance})


@partnership_view(WG)
def cycle_create(request):
    return _cycle_form(request, heading="New reporting cycle")


@partnership_view(WG)
def cycle_edit(request, pk: int):
    cycle = _cycle(request.access, pk)
    return _cycle_form(request, instance=cycle, heading=f"Edit {cycle.name}")


@partnership_view(WG)
def cycle_next(request, pk: int):
    """The next cycle, prefilled from this one; nothing is created until the form is saved."""
    cycle = _cycle(request.access, pk)
    return _cycle_form(
        request, initial=services.next_cycle_values(cycle), heading=f"Start the cycle after {cycle.name}"
    )


def _change_state(request, pk: int, *, transition: str, change):
    cycle = _cycle(request.access, pk)
    rule = services.CYCLE_TRANSITIONS[transition]
    form = ReasonForm(request.POST if request.method == "POST" else None, required=rule.needs_reason)
    if request.method == "POST" and form.is_valid():
        try:
            change(access=request.access, cycle=cycle, reason=form.cleaned_data["reason"])
            messages.success(request, f"{cycle.name} is {rule.verb}.")
            return redirect("cycle_board", partnership=request.access.partnership.slug, pk=cycle.pk)
        except services.CycleError as exc:
            form.add_error(None, str(exc))
    context = {"cycle": cycle, "form": form, "transition": transition, "rule": rule}
    return render(request, "cycles/cycle_state.html", context)


@partnership_view(WG)
def cycle_lock(request, pk: int):
    return _change_state(request, pk, transition="lock", change=services.cycle_lock)


@partnership_view(WG)
def cycle_reopen(request, pk: int):
    return _change_state(request, pk, transition="reopen", change=services.cycle_reopen)


def _board(request, cycle):
    form = BoardFilterForm(request.GET, cycle=cycle)
    filters = form.filters()
    for name in form.errors:
        messages.warning(request, f"“{request.GET.get(name)}” is not a {name} on this board; showing every {name}.")
    board = build_board(cycle, request.access, today=timezone.localdate(), **filters)
    return form, board


# The board's action list, sortable by wording, lead and state (overdue ones first within a state).
BOARD_SORTS = {
    "action": lambda row: row.action.wording.casefold(),
    "lead": lambda row: (row.lead_names or "").casefold(),
    "state": lambda row: (list(BOARD_STATES).index(row.state), not row.overdue),
}


@partnership_view(WG)
def cycle_board(request, pk: int):
    cycle = _cycle(request.access, pk)
    form, board = _board(request, cycle)
    sorting = sorting_from(request, BOARD_SORTS, keep=("organisation", "priority", "state"))
    board.rows = sorting.sort_list(board.rows, BOARD_SORTS)
    context = {
        "cycle": cycle,
        "form": form,
        "board": board,
        "sorting": sorting,
        "query": request.GET.urlencode(),
        "transitions": services.allowed_cycle_transitions(request.access, cycle),
        "events": CycleEvent.objects.filter(cycle=cycle).select_related("actor"),
    }
    return render(request, "cycles/board.html", context)


BOARD_HEADER = ["Priority", "Action", "Lead organisations", "State", "Overdue", "Due date"]


def _board_rows(board):
    for row in board.rows:
        due = row.action.due_date
        yield [
            row.action.plan_priority.title,
            row.action.wording,
            row.lead_names,
            row.state_label,
            "Overdue" if row.overdue else "",
            due.isoformat() if due else "",
        ]


@partnership_view(WG)
def cycle_board_export(request, pk: int, fmt: str):
    cycle = _cycle(request.access, pk)
    _, board = _board(request, cycle)
    basename = f"{cycle.agreement.slug}-{cycle.pk}-completeness"
    return table_response(fmt, basename, BOARD_HEADER, _board_rows(board))


@partnership_view(WG)
@require_POST
def cycle_request_update(request, pk: int, action: int):
    cycle = _cycle(request.access, pk)
    found = get_object_or_404(
        Action.objects.visible_to(request.access), pk=action, plan_priority__agreement=cycle.agreement
    )
    sent = 0
    if cycle.state != CycleState.OPEN:
        messages.error(
            request, f"{cycle.name} is {cycle.get_state_display().lower()}: reopen it before asking for updates."
        )
    else:
        sent = request_update(access=request.access, cycle=cycle, action=found, today=timezone.localdate())
    if sent:
        messages.success(request, f"Asked {sent} partner{'s' if sent != 1 else ''} for an update on “{found}”.")
    elif cycle.state == CycleState.OPEN:
        messages.info(
            request,
            f"Nobody new was e-mailed about “{found}”: its lead partners were already asked today, "
            "or none has an e-mail address.",
        )
    board = reverse("cycle_board", kwargs={"partnership": request.access.partnership.slug, "pk": cycle.pk})
    query = QueryDict(request.POST.get("query", "")).urlencode()  # re-encoded: only our own filters go back
    return redirect(f"{board}?{query}" if query else board)


@login_not_required
def digest_unsubscribe(request, token: str):
    """From the link in a digest: no sign-in needed; the signed token names the person."""
    user = user_for_token(token)
    if user is None:
        raise Http404("This unsubscribe link is not valid.")
    done = False
    if request.method == "POST":
        NotificationPreference.objects.update_or_create(user=user, defaults={"digest_opt_out": True})
        done = True
    return render(request, "cycles/unsubscribe.html", {"done": done})
