"""Partners write and submit; the Working Group reviews, decides, corrects and escalates."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from actions.models import Action, ProgressUpdate
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.models import Role
from cycles.models import ReportingCycle
from indicators.comparisons import compare
from indicators.models import Indicator, IndicatorReading
from spreadsheets.cells import csv_response

from . import services
from .diff import word_diff
from .forms import CorrectionForm, DecisionForm, EscalationForm
from .kinds import KINDS, READING, UPDATE
from .models import AUDIT_COLUMNS, Escalation, Flag, ReviewEvent, ReviewState, Transition
from .selectors import ReviewQueue, submitted
from .workflow import StaleItem, WorkflowError, allowed_transitions

P, WG, GOV, ADM = Role.PARTNER, Role.WORKING_GROUP, Role.GOVERNING, Role.ADMIN
PAGE_SIZE = 25
MY_STATES = {"none": "No update yet", **dict(ReviewState.choices)}


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _choice(request, name: str, allowed) -> str:
    """A filter value from the query string, or "" with a message when it is not one we offer."""
    value = request.GET.get(name, "")
    if value and value not in allowed:
        messages.warning(request, f"“{value}” is not a filter we offer for {name}; showing everything.")
        return ""
    return value


def _redirect_to(item):
    return redirect(f"{item.review_link_name}_edit", partnership=item.partnership.slug, pk=item.pk)


@partnership_view(P, WG)
def my_work(request):
    """The actions and indicators my organisations lead or support, with where each stands."""
    access = request.access
    state = _choice(request, "state", MY_STATES)
    actions = (
        Action.objects.editable_by(access)
        .select_related("plan_priority__agreement", "status")
        .prefetch_related(
            Prefetch("updates", queryset=ProgressUpdate.objects.open().select_related("cycle"), to_attr="open_updates"),
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.published().order_by("-published_at").select_related("cycle"),
                to_attr="published_updates",
            ),
        )
        .order_by("plan_priority__agreement", "plan_priority__order", "order")
    )
    rows = []
    for action in actions:
        current = action.open_updates[0] if action.open_updates else None
        row_state = current.state if current else "none"
        if not state or state == row_state:
            rows.append({"action": action, "open": current, "state": row_state, "state_label": MY_STATES[row_state]})
    readings = (
        IndicatorReading.objects.visible_to(access)
        .filter(state__in=[ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED])
        .filter(indicator__in=Indicator.objects.editable_by(access))
        .select_related("indicator__partnership", "geography")
    )
    context = {
        "page": _page(request, rows),
        "state": state,
        "state_label": MY_STATES.get(state, ""),
        "query": urlencode({"state": state}) + "&" if state else "",
        "states": MY_STATES,
        "readings": readings,
        "indicators": Indicator.objects.editable_by(access).order_by("name"),
        "cycle": ReportingCycle.objects.current_in(access.partnership),
    }
    return render(request, "reviews/my_work.html", context)


def _save(request, *, kind, form, item=None, extra=None):
    """Save or submit from a valid form; on a clash, keep what was typed and say what happened."""
    try:
        saved = services.item_save(
            access=request.access,
            model=kind.model,
            fields={**form.item_fields(), **(extra or {})},
            item=item,
            version=form.cleaned_data.get("version"),
            submit="submit" in request.POST,
        )
    except StaleItem as exc:
        form.add_error(None, str(exc))
        return None, exc.current
    except WorkflowError as exc:
        form.add_error(None, str(exc))
        return None, item
    submitted = saved.state == ReviewState.SUBMITTED
    messages.success(request, "Submitted to the Working Group." if submitted else "Draft saved.")
    return saved, saved


@partnership_view(P, WG)
def update_start(request, pk: int):
    action = get_object_or_404(
        Action.objects.editable_by(request.access).select_related("plan_priority__agreement"), pk=pk
    )
    existing = action.updates.open().first()
    if existing is not None:
        return _redirect_to(existing)
    cycle = ReportingCycle.objects.current_for(action.plan_priority.agreement)
    if cycle is None or cycle.state != "open":
        messages.error(request, "No reporting cycle is open for this plan, so progress cannot be written now.")
        return redirect("action_detail", partnership=request.access.partnership.slug, pk=action.pk)
    last = action.latest_published
    initial = {"text": last.text if last else "", "status": action.status_id}
    form = UPDATE.form(None, request.POST or None, initial=initial, partnership=request.access.partnership)
    if request.method == "POST" and form.is_valid():
        saved, _ = _save(request, kind=UPDATE, form=form, extra={"action": action, "cycle": cycle})
        if saved:
            return _redirect_to(saved)
    context = {"kind": UPDATE, "form": form, "item": None, "subject": action, "cycle": cycle, "published": last}
    return render(request, "reviews/item_edit.html", context)


@partnership_view(P, WG)
def reading_start(request, indicator: str):
    found = get_object_or_404(Indicator.objects.editable_by(request.access), slug=indicator)
    form = READING.form_class(request.POST or None, indicator=found, initial={"geography": found.geography_id})
    if request.method == "POST" and form.is_valid():
        saved, _ = _save(request, kind=READING, form=form)
        if saved:
            return _redirect_to(saved)
    return render(request, "reviews/item_edit.html", {"kind": READING, "form": form, "item": None, "subject": found})


@partnership_view(P, WG, GOV, ADM)
def item_edit(request, pk: int, kind: str):
    """The author's page for one item: a form while it is theirs to change, otherwise its state."""
    kind = KINDS[kind]
    item = get_object_or_404(kind.visible(request.access), pk=pk)
    editable = "edit" in allowed_transitions(request.access, item)
    form = None
    if editable:
        form = kind.form(item, request.POST or None, initial=kind.initial(item), partnership=request.access.partnership)
        if request.method == "POST" and form.is_valid():
            saved, item = _save(request, kind=kind, form=form, item=item)
            if saved:
                return _redirect_to(saved)
            editable = "edit" in allowed_transitions(request.access, item)
    elif request.method == "POST":
        messages.error(
            request, f"This {kind.model.kind_label} is {item.get_state_display().lower()}: it cannot be changed."
        )
    context = {
        "kind": kind,
        "form": form,
        "item": item,
        "editable": editable,
        "subject": item.action if kind is UPDATE else item.indicator,
        "can_withdraw": "withdraw" in allowed_transitions(request.access, item),
        "return_event": _last_event(item, Transition.RETURN) if item.state == ReviewState.RETURNED else None,
        "published": kind.published_before(item),
    }
    return render(request, "reviews/item_edit.html", context)


def _last_event(item, transition):
    return (
        ReviewEvent.objects.filter(**{item.review_link_name: item}, transition=transition)
        .select_related("actor")
        .last()
    )


@partnership_view(P, WG)
@require_POST
def item_withdraw(request, pk: int, kind: str):
    kind = KINDS[kind]
    item = get_object_or_404(kind.visible(request.access), pk=pk)
    try:
        services.item_withdraw(access=request.access, item=item, version=_posted_version(request))
        messages.success(request, "Withdrawn: it is a draft again, and the Working Group no longer sees it.")
    except WorkflowError as exc:
        messages.error(request, str(exc))
    return _redirect_to(item)


def _posted_version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # never matches, so the person is told the item changed


@partnership_view(WG)
def review_queue(request):
    kind_filter = _choice(request, "kind", KINDS)
    flagged_only = _choice(request, "flagged", {"1"}) == "1"
    items = ReviewQueue(
        submitted(kind, request.access, flagged_only=flagged_only)
        for kind in KINDS.values()
        if not kind_filter or kind.name == kind_filter
    )
    query = urlencode(
        {key: value for key, value in (("kind", kind_filter), ("flagged", flagged_only and "1")) if value}
    )
    context = {
        "page": _page(request, items),
        "kind_filter": kind_filter,
        "flagged_only": flagged_only,
        "query": query + "&" if query else "",
    }
    return render(request, "reviews/queue.html", context)


@partnership_view(WG)
def review_item(request, pk: int, kind: str):
    kind = KINDS[kind]
    item = get_object_or_404(kind.visible(request.access), pk=pk)
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
                messages.success(
                    request, "Published." + (" Escalated to the governing group." if data["escalate"] else "")
                )
            else:
                services.item_return(access=access, item=item, version=data["version"], comment=data["comment"])
                messages.success(request, "Returned to the submitter with your comment.")
            return redirect("review_queue", partnership=access.partnership.slug)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect(f"review_{kind.name}", partnership=access.partnership.slug, pk=item.pk)
    return render(
        request, "reviews/review_item.html", {"kind": kind, "item": item, "form": form, **_changes(kind, item)}
    )


def _changes(kind, item) -> dict:
    """What changed against the published version: the text diff and status, or the figure."""
    published = kind.published_before(item)
    if kind is UPDATE:
        return {"published": published, "diff": word_diff(published.text if published else "", item.text)}
    baseline_period = item.period.same_period_last_year()
    baseline = (
        IndicatorReading.objects.published()
        .filter(indicator=item.indicator, geography=item.geography, period_end=baseline_period.end)
        .order_by("-published_at")
        .first()
    )
    comparison = None
    if baseline is not None:
        comparison = compare(
            item.indicator,
            period=item.period,
            value=item.value,
            baseline_period=baseline_period,
            baseline_value=baseline.value,
        )
    return {"published": published, "comparison": comparison, "baseline_period": baseline_period}


@partnership_view(WG)
def item_history(request, pk: int, kind: str):
    kind = KINDS[kind]
    item = get_object_or_404(kind.visible(request.access), pk=pk)
    events = ReviewEvent.objects.filter(**{kind.name: item}).select_related("actor")
    return render(request, "reviews/history.html", {"kind": kind, "item": item, "events": events})


@partnership_view(WG)
def item_history_csv(request, pk: int, kind: str) -> HttpResponse:
    kind = KINDS[kind]
    item = get_object_or_404(kind.visible(request.access), pk=pk)
    events = ReviewEvent.objects.filter(**{kind.name: item}).select_related("actor")
    rows = (event.audit_cells() for event in events)
    return csv_response(f"{kind.name}-{item.pk}-history.csv", AUDIT_COLUMNS, rows)


@partnership_view(WG)
def item_correct(request, pk: int, kind: str):
    kind = KINDS[kind]
    item = get_object_or_404(kind.visible(request.access).filter(state=ReviewState.PUBLISHED), pk=pk)
    form = kind.form(item, request.POST or None, initial=kind.initial(item), partnership=request.access.partnership)
    reason_form = CorrectionForm(request.POST or None, prefix="correction")
    if request.method == "POST" and form.is_valid() and reason_form.is_valid():
        fields = {**form.item_fields(), "flag": Flag.NONE, "flag_reason": ""}
        try:
            corrected = services.item_correct(
                access=request.access, item=item, fields=fields, reason=reason_form.cleaned_data["reason"]
            )
            messages.success(request, "Correction published; the earlier version stays in the history.")
            return _redirect_to(corrected)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
    context = {"kind": kind, "item": item, "form": form, "reason_form": reason_form}
    return render(request, "reviews/correct.html", context)


@partnership_view(WG)
def item_escalate(request, pk: int, kind: str):
    kind = KINDS[kind]
    item = get_object_or_404(kind.visible(request.access).filter(state=ReviewState.PUBLISHED), pk=pk)
    form = EscalationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_escalate(access=request.access, item=item, note=form.cleaned_data["note"])
            messages.success(request, "Escalated to the governing group.")
            return redirect("escalations", partnership=request.access.partnership.slug)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
    return render(request, "reviews/escalate.html", {"kind": kind, "item": item, "form": form})


@partnership_view(WG, GOV, ADM)
def escalations(request):
    items = Escalation.objects.visible_to(request.access).select_related(
        "cycle", "escalated_by", "update__action", "reading__indicator", "reading__geography"
    )
    return render(request, "reviews/escalations.html", {"page": _page(request, items)})
