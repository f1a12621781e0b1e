"""An action's history across plans and corrections: which published progress is current, which a
correction superseded (and why), and the same action in earlier plans it was carried from."""

from __future__ import annotations

from dataclasses import dataclass

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
