"""What the review pages and the dashboards read from the review workflow, in a fixed number of queries."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from html import escape
from itertools import islice

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lower
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, capfirst

from actions import status
from actions.models import Action, ProgressUpdate
from actions.policies import ACTIONS
from actions.rows import action_address
from actions.status import NO_UPDATE
from actions.writing import takes_updates
from csa_tracker.accounts.fragments import shared_piece
from csa_tracker.accounts.people import display_name
from csa_tracker.addresses import address_for_each
from csa_tracker.dates import short_date, short_moment
from cycles.models import ReportingCycle
from indicators.models import IndicatorReading
from priorities.models import Plan
from workflow.kinds import KINDS
from workflow.models import OPEN_STATES, Escalation, GoverningRequest, ReviewState
from workflow.policies import REQUESTS

# The queue's order, served by each kind's `queue_index` (state, flagged first, then the longest waiting).
QUEUE_ORDER = ("-flagged", "waiting_since", "pk")


def queue_key(row) -> tuple:
    """QUEUE_ORDER as a key for merging the kinds' lists (a row as `ReviewQueue` reads them)."""
    return (not row.flagged, row.waiting_since or row.created_at, row.pk)


def submitted(kind, access, *, flagged_only: bool = False):
    """A kind's submitted items in queue order: flagged first (the stored `flagged` column), then the
    longest waiting (`submitted_at`, stamped by the submit and import transitions)."""
    items = kind.visible(access).filter(state=ReviewState.SUBMITTED)
    if flagged_only:
        items = items.filter(flagged=True)
    return items.annotate(waiting_since=F("submitted_at")).order_by(*QUEUE_ORDER)


class ReviewQueue:
    """Submitted progress updates and readings as one list for the paginator: each kind is ordered in the
    database and the two are merged, reading only as far as the page asked for. The merge reads the rows
    alone (no joins: quick to plan); the page's items are then read with their details."""

    def __init__(self, querysets, *, key=None, reverse: bool = False):
        """`key` (with `reverse`) must match each queryset's own ordering; the default is the queue order.
        It is given a named row of "pk", "flagged", "created_at" and the queryset's annotations."""
        self.querysets = list(querysets)
        self.key = key or queue_key
        self.reverse = reverse

    def count(self) -> int:
        return sum(queryset.count() for queryset in self.querysets)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        return self.rows_and_total(index)[0]

    def rows_and_total(self, index: slice) -> tuple[list, int]:
        """The items of `index` (a slice of the whole queue) and the queue's length (csa_tracker.paging): a
        query a kind for the merge, which counts its kind as it reads (a window count), and one a kind
        with items on the page for their details."""
        stop = index.stop
        # The merge reads only what the keys compare (the sort annotations come with the queryset), as
        # named rows rather than objects, each beside its model (its kind).
        rows = []
        for queryset in self.querysets:
            counted = queryset.annotate(queue_total=Window(Count("pk")))
            found = counted.values_list("pk", "flagged", "created_at", *counted.query.annotations, named=True)
            rows.append([(queryset.model, row) for row in found[:stop]])
        # A kind's first rows carry its count; a kind with none has no items at all (the merge reads from the start).
        total = sum(found[0][1].queue_total for found in rows if found)
        merged = heapq.merge(*rows, key=lambda pair: self.key(pair[1]), reverse=self.reverse)
        page = list(islice(merged, index.start or 0, stop))
        details = {}
        for queryset in self.querysets:
            model = queryset.model
            wanted = [row.pk for kind_model, row in page if kind_model is model]
            if wanted:
                # By key alone: the merge read the keys through the reader's visibility, so the joins that
                # narrow to it and the ordering need not be compiled and planned again (issue 26).
                shown = model.objects.filter(pk__in=wanted).order_by()
                shown = shown.select_related("author", "organisation", *QUEUE_RELATED[model])
                if model in QUEUE_COLUMNS:
                    shown = shown.only(*QUEUE_COLUMNS[model])
                details |= {(model, item.pk): item for item in shown}
        # An item deleted since the merge read its key is left out rather than failing the page.
        return [details[model, row.pk] for model, row in page if (model, row.pk) in details], total


# What a queue row (`queue_rows`) reads beyond the item's author and organisation, by kind: a progress
# update's action (its wording), not the plan, cycle and status its pages read (issue 26: their columns
# cost more to turn into objects than the rest of the query); a reading's indicator (with its
# partnership, whose settings make the period's label) and area.
QUEUE_RELATED = {
    ProgressUpdate: ("action",),
    IndicatorReading: ("indicator__partnership", "geography"),
}
# The columns a progress update's row reads, of the update and of what comes with it: not its text, nor the
# rest of the action, author and organisation (issue 26: less to send and to turn into objects). A
# reading's row reads every column: its period's label is made from its own, its indicator's and its
# partnership's.
QUEUE_COLUMNS = {
    ProgressUpdate: (
        "version",
        "submitted_at",
        "corrects",
        "flag",
        "flag_reason",
        "rule_flags",
        "author__first_name",
        "author__last_name",
        "author__username",
        "organisation__name",
        "action__wording",
    ),
}


@dataclass(frozen=True)
class QueueRow:
    """One item of the review queue's page as its row shows it, every cell worked out once (issue 26:
    the built queue runs no URL reversing, filters or includes per row): `value` the publish box's
    "kind:pk:version"; `box_id` its id; `checked` whether the box is checked ("Check every item");
    `url` the item's review page; `title` and `short_title` its subject cut to 16 and 8 words (" …"
    when cut, as `truncatewords`); `kind_label` its kind, capitalised; `author` the person who wrote it
    (accounts.people.display_name); `organisation` its organisation, or "Correction of <organisation>’s
    <kind>"; `submitted` when it was submitted ("4 Mar 2027, 14:05", local time; "" if never);
    `flagged`, `flag` (the chosen flag's words, "" with none), `flag_reason` and `rule_messages` (each
    rule flag's message) for its flags cell."""

    value: str
    box_id: str
    checked: bool
    url: str
    title: str
    short_title: str
    kind_label: str
    author: str
    organisation: str
    submitted: str
    flagged: bool
    flag: str
    flag_reason: str
    rule_messages: tuple[str, ...]

    @cached_property
    def html(self) -> SafeString:
        """The row of the queue's table (QUEUE_ROW_HTML), as reviews/queue_body.html showed it with a tag
        per cell and includes/flags.html's list: made here once per row (issue 26: the template engine
        cost more than reading the rows)."""
        if self.flagged:
            flag = FLAG_HTML.format(escape(self.flag), escape(self.flag_reason)) if self.flag else ""
            rules = "".join(RULE_HTML.format(escape(message)) for message in self.rule_messages)
            flags = FLAGS_HTML.format(flag, rules)
        else:
            flags = NO_FLAGS_HTML
        return mark_safe(  # noqa: S308 - every value escaped here
            QUEUE_ROW_HTML.format(
                value=escape(self.value),
                box_id=escape(self.box_id),
                checked=" checked" if self.checked else "",
                short_title=escape(self.short_title),
                url=escape(self.url),
                title=escape(self.title),
                kind_label=escape(self.kind_label),
                author=escape(self.author),
                organisation=escape(self.organisation),
                submitted=escape(self.submitted),
                flags=flags,
            )
        )


# One row of the queue's table, as reviews/queue_body.html showed it with a tag per cell (QueueRow.html).
QUEUE_ROW_HTML = """
    <tr>
      <td><input class="form-check-input" type="checkbox" name="item" value="{value}" id="{box_id}"{checked}>\
<label class="visually-hidden" for="{box_id}">Publish {short_title}</label></td>
      <th scope="row" class="fw-normal">
        <a href="{url}">{title}</a>
        <div class="small text-body-secondary">{kind_label}</div>
      </th>
      <td data-label="Submitted by">{author}<div class="small">{organisation}</div></td>
      <td data-label="Submitted">{submitted}</td>
      <td data-label="Flags">{flags}
</td>
    </tr>
  """
FLAGS_HTML = """
<ul class="flags list-unstyled mb-0">
  {}
  {}
</ul>
"""
FLAG_HTML = "<li><strong>Flag: {}</strong> — {}</li>"
RULE_HTML = "<li><strong>Rule: </strong>{}</li>"
NO_FLAGS_HTML = '<span class="text-body-secondary">No flags</span>'


def cut_words(words: list[str], count: int) -> str:
    """The text split into `words` as `Truncator(text).words(count, truncate=" …")` gives it (at most
    `count` words, " …" when cut), without its lazy object on every attribute read (issue 26: it was
    a third of the cost of making the queue's rows)."""
    if len(words) <= count:
        return " ".join(words)
    cut = " ".join(words[:count])
    return cut if cut.endswith(" …") else f"{cut} …"


def queue_rows(items, *, partnership, checked: bool = False) -> list[QueueRow]:
    """The queue page's `items` (progress updates and readings, as `ReviewQueue` reads them) as rows,
    in their order, their boxes `checked` or not; no queries beyond what the items already hold."""
    of_kind: dict[str, tuple[str, str]] = {}  # a kind's review address ("{}" for the key) and label
    rows = []
    for item in items:
        kind = item.kind
        if kind.name not in of_kind:
            of_kind[kind.name] = (
                address_for_each(f"review_{kind.name}", partnership=partnership.slug),
                capfirst(kind.label),
            )
        address, kind_label = of_kind[kind.name]
        words = str(item.subject_title).split()
        rows.append(
            QueueRow(
                value=f"{kind.name}:{item.pk}:{item.version}",
                box_id=f"publish-{kind.name}-{item.pk}",
                checked=checked,
                url=address.format(item.pk),
                title=cut_words(words, 16),
                short_title=cut_words(words, 8),
                kind_label=kind_label,
                author=display_name(item.author),
                organisation=(
                    f"Correction of {item.organisation}’s {kind.label}" if item.corrects_id else str(item.organisation)
                ),
                submitted=short_moment(item.submitted_at),
                flagged=item.is_flagged,
                flag=item.get_flag_display() if item.flag else "",
                flag_reason=item.flag_reason,
                rule_messages=tuple(flag["message"] for flag in item.rule_flags or ()),
            )
        )
    return rows


@dataclass(frozen=True)
class QueueSummary:
    waiting: int
    flagged: int


def queue_summary(access) -> QueueSummary:
    """How many submitted items wait for the Working Group, and how many of them are flagged: one query
    for every kind, each kind's items counted by their flag (issue 26: an aggregate a kind, with a
    filtered count, cost twice as much to build)."""
    counts = [
        kind.model.objects.visible_to(access)
        .filter(state=ReviewState.SUBMITTED)
        .order_by()
        .values_list("flagged")
        .annotate(number=Count("pk"))
        for kind in KINDS.values()
    ]
    waiting = flagged = 0
    for is_flagged, number in counts[0].union(*counts[1:], all=True):
        waiting += number
        flagged += number if is_flagged else 0
    return QueueSummary(waiting=waiting, flagged=flagged)


def escalation_cards(escalations, access):
    """`escalations` with what their cards show: responses, and as `shown_requests` the requests of the
    governing group `access` may read."""
    return escalations.select_related(
        "cycle", "escalated_by", "update__action", "reading__indicator", "reading__geography"
    ).prefetch_related(
        "responses__responded_by",
        Prefetch(
            "requests",
            queryset=GoverningRequest.objects.visible_to(access).select_related("owner"),
            to_attr="shown_requests",
        ),
    )


def recent_escalations(access, limit: int = 10) -> list:
    """The `limit` latest escalations `access` may read, as `escalation_cards`. Their keys are read
    first: when there are none, as is usual, a query quick to build and to plan says so instead of the
    one with the cards' seven joins (about 2 ms to compile and 2 ms to plan on each built dashboard,
    issue 26)."""
    escalations = Escalation.objects.visible_to(access)
    keys = list(escalations.values_list("pk", flat=True)[:limit])
    return list(escalation_cards(escalations.filter(pk__in=keys), access)) if keys else []


def requests_of(access) -> list:
    """The open requests of the governing group made of the person's organisations, the soonest due
    first, with what the dashboard and My actions show of each (reviews/requests_list.html) and no other
    column. Usually there are none: a query quick to build and to plan says so before the one with the
    list's six joins (issue 26: about 2 ms to compile and 1 ms to plan on each built page)."""
    # Asked without the partnership's four joins (an organisation is one partnership's): more rows than
    # the list may show, never fewer, so "none" is always right.
    made_of_mine = GoverningRequest.objects.still_open().filter(owner_id__in=REQUESTS.organisations_of(access))
    if not made_of_mine.exists():
        return []
    requests = GoverningRequest.objects.of_own_organisations(access)
    return list(
        requests.select_related(
            "owner", "response", "escalation__update__action", "escalation__reading__indicator"
        ).only(*REQUEST_FIELDS)
    )


# What reviews/requests_list.html reads of a request (with the keys select_related follows).
REQUEST_FIELDS = (
    "due",
    "state",
    "answer",
    "owner__name",
    "response__note",
    "escalation__update__action__wording",
    "escalation__reading__indicator__name",
)


def returned_to(access) -> list:
    """Items the Working Group returned to the person's organisations, oldest first, with what their
    titles read (`kind.related`; not their authors and organisations, which the lists do not show)."""
    items = []
    for kind in KINDS.values():
        # Usually nothing is waiting: a query quick to build and to run says so before the one that
        # reads the items through the reader's visibility (issue 26). At most two queries a kind.
        if not kind.policy.of_own_organisations(kind.model.objects.filter(state=ReviewState.RETURNED), access).exists():
            continue
        returned = kind.policy.of_own_organisations(kind.visible(access), access).filter(state=ReviewState.RETURNED)
        items += returned.select_related(None).select_related(*kind.related)
    return sorted(items, key=lambda item: item.updated_at)


def with_cycle_report(actions, cycle: ReportingCycle | None):
    """Annotate `cycle_state` (see actions.status) and `reported` for the cycle."""
    return status.with_cycle_state(actions, cycle).annotate(
        reported=ExpressionWrapper(Q(cycle_state__in=status.REPORTED_STATES), output_field=BooleanField())
    )


def shown_cycles(choice) -> list[tuple[Plan, ReportingCycle | None]]:
    """The (plan, cycle) pairs a list shows: the one chosen, else every plan with an open cycle (its
    earliest open one), else the default plan and cycle."""
    if choice.chosen or not choice.open:
        return [(choice.plan, choice.cycle)] if choice.plan else []
    pairs = {}
    for cycle in choice.open:
        pairs.setdefault(cycle.plan_id, (cycle.plan, cycle))
    return list(pairs.values())


@dataclass(frozen=True)
class WorkRow:
    """One of My actions as its row shows it, read lean (issue 26: values, not model instances).

    `action_pk`, `url` (its page) and `wording`; `plan`, `priority` and `status` (titles and name);
    `due_date` (the action's own, "" with none) and `carried` (carried from the previous plan); the
    progress a new update starts from (`Action.progress_to_start_from`): `last_published` in words
    ("Q1 2017/18, 4 Mar 2018", with " (in <plan>)" when it is the earlier plan's action's; "" with none)
    and `last_published_at` (a datetime, None); `cycle` (its plan's shown cycle, None without one) and
    `status_of` (actions.status.CycleStatus, None without a cycle); `open_pk` (its open progress update,
    in whatever cycle, None with none); `writable` (a cycle takes updates for it now, actions.writing);
    `open_url` (the open update's page, "" with none) and `start_url` (where an update is started)."""

    action_pk: int
    url: str
    wording: str
    plan: str
    priority: str
    status: str
    due_date: str
    carried: bool
    last_published: str
    last_published_at: object
    cycle: ReportingCycle | None
    status_of: object
    open_pk: int | None
    writable: bool
    open_url: str = ""
    start_url: str = ""

    @property
    def state(self) -> str:
        return self.status_of.state if self.status_of else status.NO_UPDATE

    @property
    def state_label(self) -> str:
        return status.STATE_LABELS[self.state]

    @property
    def update_due(self) -> str:
        """The cycle's update deadline in words ("20 Apr 2018"), "" without a cycle."""
        return short_date(self.status_of.due_date) if self.status_of else ""

    @cached_property
    def html(self) -> SafeString:
        """The row of My actions' table (WORK_ROW_HTML), as reviews/my_work_body.html showed it with a
        tag per cell: made here once per row (issue 26: the template engine cost more than the rest)."""
        found = self.status_of
        details = escape(f"{self.plan} · {self.priority} · {self.status}")
        if self.due_date:
            details += f" · action due {escape(self.due_date)}"
        if self.carried:
            details += " · carried from the previous plan"
        where = ""
        if found:
            words = escape(found.words)
            where = f"<strong>{words}</strong>" if found.overdue else words
            if self.cycle:
                where += f" ({escape(self.cycle.name)})"
            where = f'<div class="small">{where}</div>'
        wording = escape(self.wording)
        state_label = escape(self.state_label)
        if self.open_pk:
            kind = (
                'View<span class="visually-hidden"> submitted update</span>'
                if self.state == ReviewState.SUBMITTED
                else f'Continue<span class="visually-hidden"> {state_label.lower()} update</span>'
            )
            todo = OPEN_HTML.format(self.open_url, kind, wording)
        elif not self.writable:
            todo = NOT_WRITABLE_HTML
        else:
            todo = START_HTML.format(self.start_url, wording)
        return mark_safe(  # noqa: S308 - every value escaped here
            WORK_ROW_HTML.format(
                self.url,
                wording,
                details,
                escape(self.last_published or "Nothing yet"),
                escape(self.update_due) if found else "No cycle yet",
                escape(self.state),
                state_label,
                where,
                todo,
            )
        )


# One row of My actions' table, as reviews/my_work_body.html showed it with a tag per cell (WorkRow.html).
WORK_ROW_HTML = """
    <tr>
      <th scope="row" class="fw-normal">
        <a href="{}">{}</a>
        <div class="small text-body-secondary">{}</div>
      </th>
      <td data-label="Last published">{}</td>
      <td data-label="Update due">{}</td>
      <td data-label="This period"><span class="badge state state-{}">{}</span>
{}</td>
      <td data-label="What to do">
        {}
      </td>
    </tr>
  """
OPEN_HTML = """
        <a class="btn btn-sm btn-outline-primary" href="{}">{}<span class="visually-hidden"> for: {}</span></a>
        """
NOT_WRITABLE_HTML = """
        <span class="small">No cycle open: nothing to write now</span>
        """
START_HTML = """
        <a class="btn btn-sm btn-primary" href="{}">Write update<span class="visually-hidden"> for: {}</span></a>
        """


# What a row of My actions reads of each action (WorkRow) on every build (its plan's title comes with the
# shown pairs, the plan it was carried from with `my_work_actions`), and how many words of its wording it shows.
WORK_FIELDS = (
    "pk",
    "wording",
    "due_date",
    "carried_from_id",
    "plan_priority__title",
    "plan_priority__plan_id",
    "status__name",
    "cycle_state",
)
WORK_WORDS = 18


def my_work_actions(access, plan_ids: list[int]) -> dict[int, tuple[int | None, str | None]]:
    """The actions of the plans `plan_ids` on which the person may write progress (`editable_by`), as
    {pk: (the plan of the action it was carried from, that plan's title)}, (None, None) for one not
    carried. Read once per shared work generation and audience (issue 26: the narrowing by the lead and
    supporter link tables and the joins to the earlier plan cost more to compile and to plan than the
    rest of My actions' query): only an audited change to the plan, its actions or their links changes
    it, which moves `Partnership.shared_work_generation`."""

    def read() -> dict[int, tuple[int | None, str | None]]:
        mine = Action.objects.editable_by(access).filter(plan_priority__plan__in=plan_ids).order_by()
        earlier = "carried_from__plan_priority__plan"
        found = mine.values_list("pk", f"{earlier}_id", f"{earlier}__title")
        return {pk: (plan_id, title) for pk, plan_id, title in found}

    return shared_piece(access, "my-work-actions", read, ",".join(str(pk) for pk in sorted(plan_ids)))


def progress_of(action_ids: list[int]) -> tuple[dict[int, dict], dict[int, int]]:
    """Of each action: its latest published progress update (`Action.latest_published`) as
    {"cycle__name", "published_at"}, and its open update's pk (the newest, `ProgressUpdate.objects.open`):
    one query whatever the number of actions (it reads their published and open updates, a few a year)."""
    latest: dict[int, dict] = {}
    opened = []
    updates = (
        ProgressUpdate.objects.filter(action_id__in=action_ids, state__in=(ReviewState.PUBLISHED, *OPEN_STATES))
        .order_by("-published_at", "-pk")
        .values("action_id", "state", "pk", "created_at", "cycle__name", "published_at")
    )
    for update in updates:
        if update["state"] == ReviewState.PUBLISHED:
            latest.setdefault(update["action_id"], update)
        else:
            opened.append(update)
    open_pks = {}
    for update in sorted(opened, key=lambda update: (update["created_at"], update["pk"])):
        open_pks[update["action_id"]] = update["pk"]  # the newest last
    return latest, open_pks


# My actions' sortable columns (see MyWork): the person's choice first, then the page's own order.
MY_WORK_SORTS = ("action", "published", "state")


class MyWork:
    """My actions in each (plan, cycle) pair, with where each stands in its own plan's cycle, filtered,
    sorted and counted in the database; the paginator reads one page (`count()` and a slice), and only
    that page's actions have their open and published updates read. Queries per page: a fixed number,
    whatever the number of actions."""

    def __init__(
        self,
        access,
        pairs,
        today: date,
        *,
        open_plans=frozenset(),
        state: str = "",
        sort: str = "",
        descending: bool = False,
    ):
        self.cycles = {plan.pk: cycle for plan, cycle in pairs}
        self.titles = {plan.pk: plan.title for plan, _ in pairs}
        self.partnership = access.partnership
        self.open_plans = open_plans
        self.today = today
        plans = [plan.pk for plan, _ in pairs]
        # Nor earlier plans to join on every build: they are kept with the person's actions (issue 26).
        self.carried = my_work_actions(access, plans)
        if ACTIONS.narrows_to_own_organisations(access, "write_progress"):
            # A partner's few actions by their keys: no link tables to narrow by, to compile and plan.
            mine = Action.objects.filter(pk__in=list(self.carried))
        else:  # every action of the plans: by plan, not by hundreds of keys
            mine = Action.objects.editable_by(access).filter(plan_priority__plan__in=plans)
        # Only what this list reads is annotated: each expression costs more to build and compile than to
        # run (issue 26), and there is usually one plan, whose actions alone the query reads.
        annotations = {"cycle_state": self._state_of(pairs)}
        if len(plans) > 1:
            annotations["pair_order"] = Case(
                *(When(plan_priority__plan_id=pk, then=Value(n)) for n, pk in enumerate(plans)),
                default=Value(len(plans)),
                output_field=IntegerField(),
            )
        if sort == "published":
            last_published = ProgressUpdate.objects.published().filter(action=OuterRef("pk")).order_by("-published_at")
            annotations["last_published"] = Subquery(last_published.values("published_at")[:1])
        actions = mine.annotate(**annotations)
        if state:
            actions = actions.filter(cycle_state=state)
        own_order = ("pair_order",) if len(plans) > 1 else ()
        own_order += ("plan_priority__order", "order", "pk")
        self.actions = actions.order_by(*self._sorted(sort, descending), *own_order)

    @staticmethod
    def _state_of(pairs):
        """The `cycle_state` expression: the state of each action's latest update in its own plan's cycle
        (actions.status), NO_UPDATE without one. With one plan (the query reads its actions alone) that is
        one subquery; with several, one per plan, chosen by the action's plan."""
        with_cycle = [(plan, cycle) for plan, cycle in pairs if cycle is not None]
        if len(pairs) == 1 and with_cycle:
            return Coalesce(status.latest_state_subquery(with_cycle[0][1]), Value(NO_UPDATE))
        state_of = [
            When(plan_priority__plan_id=plan.pk, then=Coalesce(status.latest_state_subquery(cycle), Value(NO_UPDATE)))
            for plan, cycle in with_cycle
        ]
        return Case(*state_of, default=Value(NO_UPDATE), output_field=CharField())

    @staticmethod
    def _sorted(sort: str, descending: bool) -> tuple:
        """The order_by terms of a sortable column (MY_WORK_SORTS); () for the page's own order."""
        if sort == "action":
            key = Lower("wording")
            return (key.desc() if descending else key.asc(),)
        if sort == "published":  # never published first (last when reversed), then by date
            key = F("last_published")
            return (key.desc(nulls_last=True) if descending else key.asc(nulls_first=True),)
        if sort == "state":  # in the order of actions.status.STATE_LABELS
            key = Case(
                *(When(cycle_state=value, then=Value(n)) for n, value in enumerate(status.STATE_LABELS)),
                output_field=IntegerField(),
            )
            return (key.desc() if descending else key.asc(),)
        return ()

    def count(self) -> int:
        return self.actions.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[WorkRow]:
        return self._rows(list(self.actions.values(*WORK_FIELDS)[index]))

    def rows_and_total(self, index: slice) -> tuple[list[WorkRow], int | None]:
        """The rows of `index` (a slice of the whole list) and the list's length, counted with them (a
        window count: no query of its own; None when there are no rows there), for csa_tracker.paging."""
        found = list(self.actions.values(*WORK_FIELDS).annotate(total=Window(Count("pk")))[index])
        return self._rows(found), found[0]["total"] if found else None

    def _rows(self, found: list[dict]) -> list[WorkRow]:
        """The actions `found` (values of WORK_FIELDS) as rows: one query (the published updates they and
        the actions they were carried from start from, and their open updates), whatever the number."""
        own = [value["pk"] for value in found]
        earlier = [value["carried_from_id"] for value in found if value["carried_from_id"]]
        latest, open_pks = progress_of(own + earlier)
        slug = self.partnership.slug
        addresses = (
            action_address(self.partnership),
            address_for_each("update_edit", partnership=slug),
            address_for_each("update_start", partnership=slug),
        )
        return [self._row(value, latest, open_pks, addresses) for value in found]

    def _row(self, value: dict, latest: dict, open_pks: dict, addresses: tuple[str, str, str]) -> WorkRow:
        """`addresses`: an action's, an update's and an update's start page, with "{}" for the key."""
        address, edit_address, start_address = addresses
        plan_id, earlier = value["plan_priority__plan_id"], value["carried_from_id"]
        # An action written behind the services (a shell) is not kept until the next audited change.
        earlier_plan, earlier_title = self.carried.get(value["pk"], (None, None))
        # Action.progress_to_start_from: its own latest published update, else the earlier plan's action's.
        last = latest.get(value["pk"])
        words = ""
        if last is None and earlier is not None:
            last = latest.get(earlier)
            if last is not None:
                words = f" (in {earlier_title})"
        if last is not None:
            words = f"{last['cycle__name']}, {short_date(last['published_at'])}{words}"
        cycle = self.cycles.get(plan_id)
        open_pk = open_pks.get(value["pk"])
        return WorkRow(
            action_pk=value["pk"],
            url=address.format(value["pk"]),
            wording=Truncator(value["wording"]).words(WORK_WORDS, truncate=" …"),
            plan=self.titles[plan_id],
            priority=value["plan_priority__title"],
            status=value["status__name"] or "",
            due_date=short_date(value["due_date"]),
            carried=earlier is not None,
            last_published=words,
            last_published_at=last["published_at"] if last else None,
            cycle=cycle,
            status_of=status.status_for(cycle, value["cycle_state"], self.today) if cycle else None,
            open_pk=open_pk,
            writable=takes_updates(plan_id, earlier_plan, self.open_plans),
            open_url=edit_address.format(open_pk) if open_pk else "",
            start_url=start_address.format(value["pk"]),
        )
