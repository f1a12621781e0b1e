"""Partners write and submit; the Working Group reviews, decides, corrects and escalates."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions.kinds import UPDATE
from actions.models import Action
from actions.policies import ACTIONS
from actions.status import STATE_LABELS
from actions.writing import carried_into, continues_words, write_target
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.fragments import cached_body, shared_piece
from csa_tracker.accounts.policies import Can
from csa_tracker.audit.models import AUDIT_COLUMNS, AuditEntry
from csa_tracker.cells import csv_response
from csa_tracker.paging import CountedPaginator, page_shown
from csa_tracker.refusals import Refusal, Stale, refuse_on_form
from csa_tracker.sorting import sorting_from
from cycles.choice import choose_cycle
from cycles.notice import no_cycle_notice
from evidence.forms import EvidenceForm
from evidence.services import attachments_of, item_save_with_evidence
from indicators.kinds import READING
from indicators.models import Indicator, IndicatorReading
from workflow import drafts, services
from workflow.conversation import comments_on, may_converse
from workflow.kinds import KINDS
from workflow.models import Escalation, ReviewState
from workflow.policies import ESCALATIONS
from workflow.transitions import Transition, allowed_transitions

from .bulk import items_publish
from .forms import CommentForm, CorrectionForm, DecisionForm, EscalationForm
from .selectors import (
    MY_WORK_SORTS,
    QUEUE_ORDER,
    MyWork,
    ReviewQueue,
    escalation_cards,
    queue_rows,
    requests_of,
    shown_cycles,
    submitted,
)

PAGE_SIZE = 25
MY_STATES = STATE_LABELS
# What the person is told after each step, including what happens next.
NEXT_AFTER_DRAFT = (
    "Draft saved. Only your organisation and the Working Group can see it; submit it to the Working Group "
    "when it is ready."
)
NEXT_AFTER_SUBMIT = (
    "Submitted to the Working Group. What happens next: they review it before their meeting and you get an "
    "e-mail when it is published or returned. Until then you can withdraw it to change it."
)
NEXT_AFTER_PUBLISH = "Published: it now shows on the plan and will be in the next report; the author is told by e-mail."
NEXT_AFTER_RETURN = (
    "Returned to the submitter with your comment. They have been e-mailed; when they submit it again it "
    "comes back to this queue."
)
NEXT_AFTER_ESCALATE = (
    " Escalated to the governing group: it is on their dashboard and the escalations page for their next meeting."
)


def _choice(request, name: str, allowed) -> str:
    """A filter value from the query string, or "" with a message when it is not one we offer."""
    value = request.GET.get(name, "")
    if value and value not in allowed:
        messages.warning(request, f"“{value}” is not a filter we offer for {name}; showing everything.")
        return ""
    return value


def _redirect_to(item):
    return redirect(f"{item.kind.name}_edit", partnership=item.partnership.slug, pk=item.pk)


def _visible(access, kind):
    """The items of `kind` this person may read, or 404 for a kind that is not declared."""
    found = KINDS.get(kind)
    if found is None:
        raise Http404("No such kind of item.")
    return found, found.visible(access)


@partnership_view(Can.WRITE_PROGRESS)
def my_work(request):
    """The actions and indicators my organisations lead or support, with where each stands in the open
    cycle of its own plan (every plan with an open cycle, unless one plan or cycle is chosen)."""
    access = request.access
    state = _choice(request, "state", MY_STATES)
    sorting = sorting_from(request, MY_WORK_SORTS, keep=("state",))

    def build():
        choice = choose_cycle(request, access.partnership)
        pairs = shown_cycles(choice)
        # The indicators the person supplies, as the list shows them; a partner who supplies none (as most
        # do) has no readings to read (issue 26).
        indicators = shared_piece(
            access,
            "supplied-indicators",
            lambda: list(Indicator.objects.editable_by(access).order_by("name").values("pk", "slug", "name")),
        )
        readings = _open_readings(access, indicators) if indicators else []
        chosen = {key: request.GET[key] for key in ("plan", "cycle") if request.GET.get(key)}
        query = urlencode({**chosen, **({"state": state} if state else {})})
        open_plans = {cycle.plan_id for cycle in choice.open}
        rows = MyWork(
            access,
            pairs,
            timezone.localdate(),
            open_plans=open_plans,
            state=state,
            sort=sorting.column,
            descending=sorting.descending,
        )
        closed = [plan for plan, _ in pairs if plan.pk not in open_plans]
        page, page_notice = page_shown(CountedPaginator(rows, PAGE_SIZE), request.GET.get("page"), where="in this list")
        return {
            "page": page,
            "page_notice": page_notice,
            "sorting": sorting,
            "state": state,
            "state_label": MY_STATES.get(state, ""),
            "query": (query + "&" if query else "") + sorting.query,
            "chosen_query": urlencode(chosen),
            "states": MY_STATES,
            "readings": readings,
            "indicators": indicators,
            "choice": choice,
            "pairs": pairs,
            "governing_requests": shared_piece(access, "requests-of", lambda: requests_of(access)),
            "notices": [no_cycle_notice(access.partnership, plan) for plan in closed],
        }

    body = cached_body(
        request, page="my_work", template="reviews/my_work_body.html", build=build, per_person=True, own_work=True
    )
    return render(request, "reviews/my_work.html", {"body": body})


def _open_readings(access, indicators: list[dict]) -> list:
    """The open readings of `indicators` (values with "pk") the person may read, with their indicators
    and areas. Usually none: a quick query says so before the one with their indicators' and areas'
    columns (issue 26: that one cost more to compile and plan than to run)."""
    readings = (
        IndicatorReading.objects.visible_to(access)
        .filter(state__in=[ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED])
        .filter(indicator_id__in=[indicator["pk"] for indicator in indicators])
    )
    return list(readings.select_related("indicator__partnership", "geography")) if readings.exists() else []


def _evidence_form(request):
    """The file to attach, inside the item's form (posted with it)."""
    return EvidenceForm(request.POST or None, request.FILES or None)


def _valid(request, form, evidence_form) -> bool:
    """Both forms checked (so each shows its own errors), and not a Preview."""
    return request.method == "POST" and all([form.is_valid(), evidence_form.is_valid()])


def _save(request, *, kind, form, evidence_form, item=None, extra=None):
    """Save or submit from a valid form, with the file to attach if one was chosen; on a clash, keep
    what was typed and say what happened."""
    checked = evidence_form.cleaned_data.get("file")
    try:
        saved = item_save_with_evidence(
            access=request.access,
            model=kind.model,
            fields={**form.item_fields(), **(extra or {})},
            item=item,
            version=form.cleaned_data.get("version"),
            submit="submit" in request.POST,
            checked=checked,
        )
    except Stale as exc:
        refuse_on_form(form, exc)
        return None, exc.current
    except Refusal as exc:
        refuse_on_form(form, exc)
        return None, item
    if item is not None and saved.version == item.version and checked is None:
        messages.info(request, "Nothing was changed, so nothing was saved.")
    elif saved.state == ReviewState.SUBMITTED:
        messages.success(request, NEXT_AFTER_SUBMIT)
    else:
        messages.success(request, NEXT_AFTER_DRAFT)
    return saved, saved


@partnership_view(Can.WRITE_PROGRESS)
def update_start(request, pk: int):
    # Another partnership's action stays a 404 (never revealed); one of this partnership's that the person's
    # organisation neither leads nor supports is explained, with ways on (a tester met a bare 404).
    visible = Action.objects.visible_to(request.access).select_related("plan_priority__plan")
    action = get_object_or_404(visible, pk=pk)
    refusal = ACTIONS.why_not(request.access, "write_progress", action)
    if refusal:
        return render(request, "reviews/progress_not_yours.html", {"action": action, "refusal": refusal}, status=403)
    existing = action.updates.open().first()
    if existing is not None and request.method != "POST":
        # A form posted after another tab started the update is saved or refused, never dropped (issue 23).
        return _redirect_to(existing)
    plan = action.plan_priority.plan
    target = write_target(action)
    if target is None:
        # Explain and point onwards; never back to a page that offers this one again. Last year's action
        # carried into a later plan leads to the carried one (an e-mailed link met a dead end, issue 25).
        carried = carried_into(action)
        if (
            carried is not None
            and not ACTIONS.why_not(request.access, "write_progress", carried)
            and write_target(carried) is not None
        ):
            messages.info(request, f"{continues_words(action, carried)}: write its progress there.")
            return redirect("update_start", partnership=request.access.partnership.slug, pk=carried.pk)
        context = {
            "action": action,
            "notice": no_cycle_notice(request.access.partnership, plan),
            "carried": carried,
            "continues": continues_words(action, carried) if carried is not None else "",
        }
        return render(request, "reviews/no_cycle_open.html", context)
    written_on, cycle = target
    if written_on != action:
        # At the year's end the old plan's last cycle is still open while the new plan has none yet.
        messages.info(
            request,
            f"{plan.title} has no open reporting cycle yet: write this quarter's progress on the same "
            "action in the earlier plan.",
        )
        return redirect("update_start", partnership=request.access.partnership.slug, pk=written_on.pk)
    last = action.latest_published
    # A carried action's first update starts from last year's published text (issue 25).
    start = action.progress_to_start_from
    initial = {"text": start.text if start else "", "status": action.status_id}
    form = UPDATE.form(action, request.POST or None, initial=initial, partnership=request.access.partnership)
    evidence_form = _evidence_form(request)
    preview, preview_notes = _preview(request, form)
    if preview is None and _valid(request, form, evidence_form):
        extra = {"action": action, "cycle": cycle}
        saved, _ = _save(request, kind=UPDATE, form=form, evidence_form=evidence_form, extra=extra)
        if saved:
            return _redirect_to(saved)
    context = {
        "kind": UPDATE,
        "form": form,
        "evidence_form": evidence_form,
        "item": None,
        "cycle": cycle,
        "published": last,
        # Where the form's text came from when it is not this action's own (a carried action's first update).
        "started_in": action.carried_from.plan_priority.plan.title if start is not None and last is None else "",
        "preview": preview,
        "preview_notes": preview_notes,
    }
    return render(request, "reviews/item_edit.html", context | _subject(UPDATE, action))


def _subject(kind, subject) -> dict:
    return {"subject": subject, "subject_name": kind.subject_name(subject)}


@partnership_view(Can.WRITE_PROGRESS)
def reading_start(request, indicator: str):
    found = get_object_or_404(Indicator.objects.editable_by(request.access), slug=indicator)
    partnership = request.access.partnership
    form = READING.form(found, request.POST or None, initial={"geography": found.geography_id}, partnership=partnership)
    evidence_form = _evidence_form(request)
    if _valid(request, form, evidence_form):
        saved, _ = _save(request, kind=READING, form=form, evidence_form=evidence_form)
        if saved:
            return _redirect_to(saved)
    context = {"kind": READING, "form": form, "evidence_form": evidence_form, "item": None}
    return render(request, "reviews/item_edit.html", context | _subject(READING, found))


@partnership_view(Can.READ)
def item_edit(request, pk: int, kind: str):
    """The author's page for one item: a form while it is theirs to change, otherwise its state."""
    kind, items = _visible(request.access, kind)
    item = get_object_or_404(items, pk=pk)
    # Each rule's check can query (editing rights, who submitted): ask once per state of the item.
    allowed = allowed_transitions(request.access, item)
    editable = "edit" in allowed
    form = preview = evidence_form = None
    preview_notes = []
    if editable:
        form = kind.form(
            kind.subject(item), request.POST or None, initial=kind.initial(item), partnership=request.access.partnership
        )
        evidence_form = _evidence_form(request)
        preview, preview_notes = _preview(request, form)
        if preview is None and _valid(request, form, evidence_form):
            saved, item = _save(request, kind=kind, form=form, evidence_form=evidence_form, item=item)
            if saved:
                return _redirect_to(saved)
            allowed = allowed_transitions(request.access, item)  # a clash may have changed its state
            editable = "edit" in allowed
    elif request.method == "POST":
        messages.error(request, f"This {kind.label} is {item.get_state_display().lower()}: it cannot be changed.")
    context = {
        "kind": kind,
        "form": form,
        "evidence_form": evidence_form,
        "preview": preview if form is not None else None,
        "preview_notes": preview_notes,
        "item": item,
        "editable": editable,
        **_evidence_and_conversation(request.access, item),
        **_subject(kind, kind.subject(item)),
        "can_withdraw": "withdraw" in allowed,
        "can_review": kind.policy.permits(request.access, "review", item),
        "return_event": _last_event(item, Transition.RETURN) if item.state == ReviewState.RETURNED else None,
        "published": kind.published_before(item),
        **_ways_out(request.access, kind, item),
    }
    return render(request, "reviews/item_edit.html", context)


def _evidence_and_conversation(access, item) -> dict:
    """The item's evidence, and its conversation with a comment form for those who take part in it."""
    talking = may_converse(access, item)
    return {
        "attachments": attachments_of(item),
        "comments": comments_on(item) if talking else None,
        "comment_form": CommentForm() if talking else None,
    }


def _ways_out(access, kind, item) -> dict:
    """For unfinished progress: whether its cycle has closed (and where it could be carried), and
    whether this person may delete it (workflow.drafts)."""
    if not kind.in_cycles or item.state not in drafts.UNFINISHED:
        return {}
    stuck = drafts.is_stuck(item)
    return {
        "stuck": stuck,
        "carry_to": drafts.carry_target(item) if stuck else None,
        "can_delete": drafts.can_delete(access, item),
    }


def _preview(request, form) -> tuple[str | None, list[str]]:
    """With the Preview button: (the text as it will be shown, notes of what is still needed before
    saving or submitting), and nothing saved; (None, []) otherwise. Only the text's own error keeps the
    preview from showing (""); another field's (a flag with no reason) becomes a note instead of an
    error, as the preview saves nothing (issue 25). Saving and submitting still refuse it."""
    if request.method != "POST" or "preview" not in request.POST or "text" not in form.fields:
        return None, []
    if form.is_valid():
        return form.cleaned_data["text"], []
    if "text" in form.errors:
        return "", []
    notes = []
    for name in list(form.errors):
        for message in form.errors.pop(name):
            notes.append(f"Before you save or submit: {message[:1].lower()}{message[1:]}")
    return form.cleaned_data["text"], notes


def _last_event(item, transition):
    return AuditEntry.objects.for_object(item).filter(verb=transition).select_related("actor").last()


@partnership_view(Can.WRITE_PROGRESS)
@require_POST
def item_withdraw(request, pk: int, kind: str):
    kind, items = _visible(request.access, kind)
    item = get_object_or_404(items, pk=pk)
    try:
        services.item_withdraw(access=request.access, item=item, version=_posted_version(request))
        messages.success(request, "Withdrawn: it is a draft again, and the Working Group no longer sees it.")
    except Refusal as exc:
        messages.error(request, str(exc))
    return _redirect_to(item)


def _posted_version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # never matches, so the person is told the item changed


# Sortable queue columns: the database order of each kind, and the same order as a key for merging them.
QUEUE_TITLES = {"update": "action__wording", "reading": "indicator__name"}
QUEUE_SORTS = {
    "item": ("sort_title", "waiting_since"),
    "by": ("sort_author", "waiting_since"),
    "submitted": ("waiting_since",),
    "flags": ("-flagged", "waiting_since"),
}
QUEUE_KEYS = {
    "item": lambda row: (row.sort_title, row.waiting_since),
    "by": lambda row: (row.sort_author, row.waiting_since),
    "submitted": lambda row: (row.waiting_since,),
    "flags": lambda row: (not row.flagged, row.waiting_since),
}


def _sortable(items, kind, column: str):
    """The items with the sort column the queue is sorted by, if it needs a join (title, author)."""
    if column == "item":
        return items.annotate(sort_title=Lower(QUEUE_TITLES[kind.name]))
    if column == "by":
        # An item with no author (an account since removed) sorts as no name: NULL would sort last on
        # PostgreSQL and first on SQLite, and the merge's key cannot compare it with a name.
        return items.annotate(sort_author=Coalesce(Lower("author__last_name"), Value("")))
    return items


@partnership_view(Can.REVIEW)
def review_queue(request):
    kind_filter = _choice(request, "kind", KINDS)
    flagged_only = _choice(request, "flagged", {"1"}) == "1"
    sorting = sorting_from(request, QUEUE_SORTS, keep=("kind", "flagged"))

    def build():
        order = sorting.order_by(QUEUE_SORTS)
        items = ReviewQueue(
            _sortable(submitted(kind, request.access, flagged_only=flagged_only), kind, sorting.column).order_by(
                *order or QUEUE_ORDER
            )
            for kind in KINDS.values()
            if not kind_filter or kind.name == kind_filter
        )
        if sorting.column:
            items = ReviewQueue(items.querysets, key=QUEUE_KEYS[sorting.column], reverse=sorting.descending)
        query = urlencode(
            {key: value for key, value in (("kind", kind_filter), ("flagged", flagged_only and "1")) if value}
        )
        page, page_notice = page_shown(
            CountedPaginator(items, PAGE_SIZE), request.GET.get("page"), where="in the queue"
        )
        # "Check every item on this page" without JavaScript (static/js/check-all.js does it in place).
        all_checked = request.GET.get("check") == "all"
        return {
            "page": page,
            "page_notice": page_notice,
            "rows": queue_rows(page.object_list, partnership=request.access.partnership, checked=all_checked),
            "kind_filter": kind_filter,
            "flagged_only": flagged_only,
            "query": (query + "&" if query else "") + sorting.query,
            "sorting": sorting,
            "all_checked": all_checked,
        }

    body = cached_body(request, page="review_queue", template="reviews/queue_body.html", build=build)
    return render(request, "reviews/queue.html", {"body": body})


@partnership_view(Can.REVIEW)
@require_POST
def review_publish_many(request):
    """The checked items of the queue, each "kind:pk:version", published together or not at all."""
    chosen = []
    for value in request.POST.getlist("item"):
        kind_name, _, rest = value.partition(":")
        pk, _, version = rest.partition(":")
        found = KINDS.get(kind_name)
        if found is None or not pk.isdecimal() or not version.isdecimal():
            messages.error(request, "One of the checked items was not understood; nothing was published.")
            return redirect("review_queue", partnership=request.access.partnership.slug)
        chosen.append((get_object_or_404(found.visible(request.access), pk=int(pk)), int(version)))
    if not chosen:
        messages.error(request, "Check the items to publish first; nothing was published.")
        return redirect("review_queue", partnership=request.access.partnership.slug)
    try:
        published = items_publish(access=request.access, items=chosen)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Published {len(published)} item{'s' if len(published) != 1 else ''}.")
    return redirect("review_queue", partnership=request.access.partnership.slug)


@partnership_view(Can.REVIEW)
def review_item(request, pk: int, kind: str):
    kind, items = _visible(request.access, kind)
    item = get_object_or_404(items, pk=pk)
    form = DecisionForm(request.POST or None, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        data, access = form.cleaned_data, request.access
        try:
            if data["decision"] == "publish":
                services.item_publish(
                    access=access,
                    item=item,
                    version=data["version"],
                    comment=data["comment"],
                    escalation_note=data["escalation_note"] if data["escalate"] else "",
                )
                messages.success(request, NEXT_AFTER_PUBLISH + (NEXT_AFTER_ESCALATE if data["escalate"] else ""))
            else:
                services.item_return(access=access, item=item, version=data["version"], comment=data["comment"])
                messages.success(request, NEXT_AFTER_RETURN)
            return redirect("review_queue", partnership=access.partnership.slug)
        except Refusal as exc:
            messages.error(request, str(exc))
            return redirect(f"review_{kind.name}", partnership=access.partnership.slug, pk=item.pk)
    published = kind.published_before(item)
    changes = kind.review_context(item, published, request.GET.get("compare"))
    if changes.get("warning"):
        messages.warning(request, changes["warning"])
    context = {"kind": kind, "item": item, "form": form, "published": published, **changes}
    context |= _evidence_and_conversation(request.access, item)
    context["return_event"] = _last_event(item, Transition.RETURN)
    return render(request, "reviews/review_item.html", context)


@partnership_view(Can.REVIEW)
def item_history(request, pk: int, kind: str):
    kind, items = _visible(request.access, kind)
    item = get_object_or_404(items, pk=pk)
    entries = AuditEntry.objects.for_object(item).select_related("actor")
    return render(request, "reviews/history.html", {"kind": kind, "item": item, "entries": entries})


@partnership_view(Can.REVIEW)
def item_history_csv(request, pk: int, kind: str) -> HttpResponse:
    kind, items = _visible(request.access, kind)
    item = get_object_or_404(items, pk=pk)
    entries = AuditEntry.objects.for_object(item).select_related("actor")
    rows = (entry.cells() for entry in entries)
    return csv_response(f"{kind.name}-{item.pk}-history.csv", AUDIT_COLUMNS, rows)


@partnership_view(Can.REVIEW)
def item_correct(request, pk: int, kind: str):
    kind, items = _visible(request.access, kind)
    item = get_object_or_404(items.filter(state=ReviewState.PUBLISHED), pk=pk)
    partnership = request.access.partnership
    form = kind.form(kind.subject(item), request.POST or None, initial=kind.initial(item), partnership=partnership)
    reason_form = CorrectionForm(request.POST or None, prefix="correction")
    if request.method == "POST" and form.is_valid() and reason_form.is_valid():
        fields = form.item_fields()  # flags included: a correction starts from the item's own
        try:
            corrected = services.item_correct(
                access=request.access, item=item, fields=fields, reason=reason_form.cleaned_data["reason"]
            )
            if corrected.state == ReviewState.PUBLISHED:
                messages.success(request, "Correction published; the earlier version stays in the history.")
            else:
                messages.success(
                    request,
                    "Correction written: another member of the Working Group publishes it from the review queue "
                    "(the partnership asks for a second person to check everything published).",
                )
            return _redirect_to(corrected)
        except Refusal as exc:
            refuse_on_form(form, exc)
    context = {"kind": kind, "item": item, "form": form, "reason_form": reason_form}
    return render(request, "reviews/correct.html", context)


@partnership_view(Can.REVIEW)
def item_escalate(request, pk: int, kind: str):
    kind, items = _visible(request.access, kind)
    item = get_object_or_404(items.filter(state=ReviewState.PUBLISHED), pk=pk)
    form = EscalationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_escalate(access=request.access, item=item, note=form.cleaned_data["note"])
            messages.success(request, NEXT_AFTER_ESCALATE.strip())
            return redirect("escalations", partnership=request.access.partnership.slug)
        except Refusal as exc:
            refuse_on_form(form, exc)
    return render(request, "reviews/escalate.html", {"kind": kind, "item": item, "form": form})


@partnership_view(Can.READ)
def escalations(request):
    """Every escalation for those who read escalations; a partner's own (on actions their organisations
    lead, or with a request of the governing group made of them), by the escalation policy."""
    items = escalation_cards(Escalation.objects.readable_by(request.access), request.access)
    page, notice = page_shown(Paginator(items, PAGE_SIZE), request.GET.get("page"), where="among the escalations")
    context = {"page": page, "page_notice": notice, "reads_all": ESCALATIONS.permits(request.access, "read")}
    return render(request, "reviews/escalations.html", context)
