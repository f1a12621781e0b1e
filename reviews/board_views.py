"""The completeness board of a reporting cycle: where every action stands, with its exports and
"please update" requests to lead partners."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions.models import Action
from csa_tracker.accounts.access import may_open, partnership_view
from csa_tracker.accounts.fragments import CSRF_PLACEHOLDER, cached_body
from csa_tracker.accounts.policies import Can
from csa_tracker.cells import table_response
from csa_tracker.messages import a_or_an
from csa_tracker.paging import page_shown
from csa_tracker.refusals import Refusal
from csa_tracker.sorting import sorting_from
from cycles.models import CycleState, ReportingCycle
from cycles.services import allowed_cycle_transitions

from .board import BOARD_STATES, BoardPage, board_cells, build_board, cycle_history
from .forms import BoardFilterForm, board_selects
from .reminders import ASK_ALL, mark_unreachable, request_update, request_updates_all


def get_cycle(access, pk: int) -> ReportingCycle:
    return get_object_or_404(ReportingCycle.objects.manageable_by(access).select_related("plan"), pk=pk)


def _filters(request, cycle) -> tuple[BoardFilterForm | None, dict]:
    """The board's valid filters and the form that read them. An address naming no filter, as most do,
    has nothing to validate: no form is built (its querysets cost more than the rest of a board served
    from the cache; issue 26). A value we do not offer is dropped with a message, on every visit."""
    if not set(BoardFilterForm.base_fields) & set(request.GET):
        return None, {}
    form = BoardFilterForm(request.GET, cycle=cycle)
    filters = form.filters()
    for name in form.errors:
        shown = f"“{request.GET.get(name)}” is not {a_or_an(name)} on this board; showing every {name}."
        messages.warning(request, shown)
    return form, filters


def _board(request, cycle):
    _, filters = _filters(request, cycle)
    return build_board(cycle, request.access, today=timezone.localdate(), shown_only=True, **filters)


# The board's action list, sortable by wording, lead and state (overdue ones first within a state).
BOARD_SORTS = {
    "action": lambda row: row.action.wording.casefold(),
    "lead": lambda row: (row.lead_names or "").casefold(),
    "state": lambda row: (list(BOARD_STATES).index(row.state), not row.overdue),
}


# The board's action table shows this many rows a page (issue 26: making and sending the rows of a
# 300-action plan cost more than the rest of the page; the counts and shares still cover every action).
BOARD_PAGE_SIZE = 50


@partnership_view(Can.MANAGE_PLAN)
def cycle_board(request, pk: int):
    cycle = get_cycle(request.access, pk)
    form, filters = _filters(request, cycle)
    sorting = sorting_from(request, BOARD_SORTS, keep=("organisation", "priority", "state", "theme"))

    def build():
        board = build_board(cycle, request.access, today=timezone.localdate(), shown_only=True, **filters)
        board.rows = sorting.sort_list(board.rows, BOARD_SORTS)
        page, page_notice = page_shown(
            Paginator(board.rows, BOARD_PAGE_SIZE), request.GET.get("page"), where="on this board"
        )
        slug = request.access.partnership.slug
        shared = BoardPage(
            query=request.GET.urlencode(),
            csrf_token=CSRF_PLACEHOLDER,
            invite_url=reverse("people_invite", kwargs={"partnership": slug})
            if may_open(request.access, "people_invite")
            else "",
        )
        board_cells(page.object_list, partnership=request.access.partnership, cycle=cycle, page=shared)
        kept = request.GET.copy()
        kept.pop("page", None)
        return {
            "cycle": cycle,
            "selects": board_selects(
                form, plan=cycle.plan, partnership=request.access.partnership, organisations=board.organisations
            ),
            "board": board,
            "page": page,
            "page_query": kept.urlencode() + "&" if kept else "",
            "page_notice": page_notice,
            # "Remind all overdue" reminds the whole cycle: offered only where the board shows all of it.
            "filtered": any(filters.values()),
            "sorting": sorting,
            "query": shared.query,
            "transitions": allowed_cycle_transitions(request.access, cycle),
            "events": cycle_history(request.access.partnership, cycle),
        }

    body = cached_body(request, page="cycle_board", template="cycles/board_body.html", build=build, extra=(cycle.pk,))
    return render(request, "cycles/board.html", {"body": body, "cycle": cycle})


BOARD_HEADER = [
    "Priority",
    "Action",
    "Lead organisations",
    "State",
    "Overdue",
    "Update due",
    "Where it stands",
    "Action due",
]


def _board_rows(board):
    for row in board.rows:
        due = row.action.due_date
        yield [
            row.priority_title,
            row.action.wording,
            row.lead_names,
            row.state_label,
            "Overdue" if row.overdue else "",
            row.status.due_date.isoformat(),
            row.status.words,
            due.isoformat() if due else "",
        ]


@partnership_view(Can.MANAGE_PLAN)
def cycle_board_export(request, pk: int, fmt: str):
    cycle = get_cycle(request.access, pk)
    board = _board(request, cycle)
    basename = f"{cycle.plan.slug}-{cycle.pk}-completeness"
    return table_response(fmt, basename, BOARD_HEADER, _board_rows(board))


@partnership_view(Can.MANAGE_PLAN)
@require_POST
def cycle_request_update(request, pk: int, action: int):
    cycle = get_cycle(request.access, pk)
    found = get_object_or_404(Action.objects.visible_to(request.access), pk=action, plan_priority__plan=cycle.plan)
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
            "or none has an account with an e-mail address (the board says which organisations).",
        )
    return _back_to_board(request, cycle)


def _back_to_board(request, cycle):
    board = reverse("cycle_board", kwargs={"partnership": request.access.partnership.slug, "pk": cycle.pk})
    query = QueryDict(request.POST.get("query", "")).urlencode()  # re-encoded: only our own filters go back
    return redirect(f"{board}?{query}" if query else board)


@partnership_view(Can.MANAGE_PLAN)
def cycle_remind_overdue(request, pk: int):
    """GET: the overdue actions and whom a reminder reaches, to confirm; POST: remind them all at once."""
    cycle = get_cycle(request.access, pk)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            done = request_updates_all(access=request.access, cycle=cycle, today=today, which="overdue")
        except Refusal as exc:
            messages.error(request, str(exc))
        else:
            say_asked(request, done)
        return _back_to_board(request, cycle)
    rows = ASK_ALL["overdue"](cycle, request.access, today)
    mark_unreachable(request.access.partnership, rows)
    return render(request, "cycles/remind_overdue.html", {"cycle": cycle, "rows": rows})


# How each "ask them all" (reminders.ASK_ALL) names its actions: (one, several, when there were none).
ASKED_WORDS = {
    "overdue": ("overdue action", "overdue actions", "No action is overdue, so nobody was reminded."),
    "no_update": (
        "action with no update",
        "actions with no update",
        "Every action has an update in this cycle, so nobody was asked.",
    ),
}


def say_asked(request, done) -> None:
    """Tell the Working Group what `reminders.request_updates_all` did (`done`: its UpdateRequests)."""
    one, several, none = ASKED_WORDS[done.which]
    if done.asked:
        count = len(done.asked)
        messages.success(
            request,
            f"Asked the lead partners of {count} {one if count == 1 else several} for an update "
            f"({done.people} e-mail{'s' if done.people != 1 else ''}).",
        )
    if done.unreached:
        count = len(done.unreached)
        messages.warning(
            request,
            f"Nobody new was e-mailed about {count} {one if count == 1 else several}: their lead partners "
            "were already asked today, or no one there has an account with an e-mail address.",
        )
    if not done.asked and not done.unreached:
        messages.info(request, none)
