"""An action's history across plans and corrections: which published progress is current, which a
correction superseded (and why), and the same action in earlier plans it was carried from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Action, ProgressUpdate

# Carried-from chains are a few years long; the cap stops a corrupt loop running for ever.
MAX_PLANS_BACK = 20


def mark_versions(updates) -> list[ProgressUpdate]:
    """The published updates (newest first) as a list, each with `superseded_by` (the correction that
    replaced it, or None) and `is_current` (the newest one no correction replaced)."""
    updates = list(updates)
    corrections = {update.corrects_id: update for update in updates if update.corrects_id}
    current_seen = False
    for update in updates:
        update.superseded_by = corrections.get(update.pk)
        update.is_current = update.superseded_by is None and not current_seen
        current_seen = current_seen or update.is_current
    return updates


def current_version(item):
    """The published version that replaces `item` after any corrections (itself when none did)."""
    model = type(item)
    for _ in range(MAX_PLANS_BACK):
        newer = model.objects.filter(corrects=item).order_by("-published_at", "-pk").first()
        if newer is None:
            return item
        item = newer
    return item


def current_versions(model, items) -> dict:
    """{pk of each item: its current published version}, in one query per correction depth (not per item)."""
    current = {item.pk: item for item in items}
    latest = dict(current)  # the newest version found so far, keyed by the version it corrects
    frontier = {item.pk: item.pk for item in items}  # version pk -> original pk
    for _ in range(MAX_PLANS_BACK):
        if not frontier:
            break
        newer = model.objects.filter(corrects__in=list(frontier)).order_by("published_at", "pk")
        next_frontier = {}
        for version in newer:
            original = frontier[version.corrects_id]
            latest[original] = version
            next_frontier[version.pk] = original
        frontier = next_frontier
    return {pk: latest[pk] for pk in current}


def carried_progress(actions: list[Action], *, up_to: date) -> dict[int, ProgressUpdate]:
    """{pk of each of `actions` (carried forward, none of them with progress published in its own plan):
    the latest progress published, for a cycle starting by `up_to`, on the action it was carried from,
    else on the one that was carried from, and so on back}; an action with none anywhere is left out.
    Each update comes with its status, attachments and `cycle.plan`. The one rule behind a report's
    carried progress and the publish page's "last published" (issue 25: the report shows readers the
    last published progress). Three queries per plan gone back, none when `actions` is empty."""
    found: dict[int, ProgressUpdate] = {}
    waiting: dict[int, list[int]] = {}  # an earlier action's pk -> the pks of `actions` that stand for it
    for action in actions:
        waiting.setdefault(action.carried_from_id, []).append(action.pk)
    seen = {action.pk for action in actions}
    for _ in range(MAX_PLANS_BACK):
        if not waiting:
            break
        seen |= set(waiting)
        updates = (
            ProgressUpdate.objects.published()
            .filter(action__in=list(waiting), cycle__period_start__lte=up_to)
            .select_related("cycle__plan", "status")
            .prefetch_related("attachments")
            .order_by("action_id", "cycle__period_start", "published_at", "pk")
        )
        latest = {update.action_id: update for update in updates}
        for earlier, ours in waiting.items():
            if earlier in latest:
                found |= dict.fromkeys(ours, latest[earlier])
        unfound = [pk for pk in waiting if pk not in latest]
        further: dict[int, list[int]] = {}
        if unfound:
            earlier_of = Action.objects.filter(pk__in=unfound, carried_from__isnull=False)
            for pk, earlier in earlier_of.values_list("pk", "carried_from_id"):
                if earlier not in seen:
                    further.setdefault(earlier, []).extend(waiting[pk])
        waiting = further
    return found


@dataclass
class EarlierVersion:
    action: Action
    published: list[ProgressUpdate]


def earlier_versions(action: Action) -> list[EarlierVersion]:
    """The action in each earlier plan it was carried from, newest plan first, with its published progress."""
    found = []
    seen = {action.pk}
    current = action
    while current.carried_from_id and current.carried_from_id not in seen and len(found) < MAX_PLANS_BACK:
        current = Action.objects.select_related("plan_priority__plan").get(pk=current.carried_from_id)
        seen.add(current.pk)
        updates = current.updates.published().select_related("status", "cycle").order_by("-published_at", "-pk")
        found.append(EarlierVersion(action=current, published=mark_versions(updates)))
    return found


def escalations_for_action(access, action: Action) -> list:
    """Escalations of this action's progress, with the governing group's responses: for those who read
    escalations, and for partners of the organisations that lead the action."""
    from workflow.models import Escalation

    escalations = Escalation.objects.readable_by(access).filter(update__action=action)
    return list(
        escalations.select_related("cycle", "escalated_by", "update").prefetch_related("responses__responded_by")
    )
