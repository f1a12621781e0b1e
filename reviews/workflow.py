"""The review state machine: which transitions are allowed from which states, by whom, and the one
function that applies them.

Every change goes through `apply_transition`, which locks the row, checks the version the person
was looking at (so two reviewers deciding at once cannot both succeed, and a partner's stale form
cannot overwrite a return), moves the state and writes the audit entry, atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from csa_tracker.accounts.people import display_name

from .models import ReviewEvent, ReviewState, Transition


class WorkflowError(Exception):
    """A change that cannot be made; the message is written for the person who tried."""


class StaleItem(WorkflowError):
    def __init__(self, current):
        self.current = current
        last = ReviewEvent.objects.filter(**item_filter(current)).select_related("actor").last()
        who = display_name(last.actor if last else None, nobody="someone else")
        super().__init__(
            f"This item changed while you were looking at it: {who} moved it to "
            f"“{current.get_state_display()}”. Nothing was saved; the current version is shown."
        )


class NotAllowed(WorkflowError):
    pass


def is_editor(access, item) -> bool:
    """Partners on their own organisations' subjects, and the Working Group on all."""
    return item.subject_editable_by(access)


def is_reviewer(access, item) -> bool:
    return access.is_working_group


def is_publisher(access, item) -> bool:
    """The Working Group, except whoever submitted or imported the item where the partnership keeps
    publishing separate (reviews.publishers)."""
    from .publishers import publish_refusal

    return is_reviewer(access, item) and not publish_refusal(access, item)


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str
    allowed: Callable
    # (access, item) -> the sentence telling the person why not, when `allowed` says no.
    refusal: Callable | None = None


S = ReviewState
TRANSITIONS: dict[str, Rule] = {
    Transition.EDIT: Rule(frozenset({S.DRAFT, S.RETURNED}), target="", allowed=is_editor),  # state unchanged
    Transition.SUBMIT: Rule(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, is_editor),
    Transition.WITHDRAW: Rule(frozenset({S.SUBMITTED}), S.DRAFT, is_editor),
    Transition.RETURN: Rule(frozenset({S.SUBMITTED}), S.RETURNED, is_reviewer),
    Transition.PUBLISH: Rule(frozenset({S.SUBMITTED}), S.PUBLISHED, is_publisher, refusal=lambda a, i: _refusal(a, i)),
}


def _refusal(access, item) -> str:
    from .publishers import publish_refusal

    return publish_refusal(access, item)


def item_filter(item) -> dict:
    return {item.review_link_name: item}


def allowed_transitions(access, item) -> list[str]:
    return [name for name, rule in TRANSITIONS.items() if item.state in rule.sources and rule.allowed(access, item)]


def apply_transition(item, *, access, transition: str, expected_version: int, comment: str = "", changes=None):
    """Move `item` through `transition` and record it. `changes` (field -> value) are saved with it.

    Raises StaleItem when the item is no longer at `expected_version`, NotAllowed when the state or
    the person's role does not permit the transition. Returns the updated item.
    """
    rule = TRANSITIONS[transition]
    model = type(item)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=item.pk)
        if current.version != expected_version:
            raise StaleItem(current)
        if current.state not in rule.sources:
            raise NotAllowed(f"An item that is “{current.get_state_display()}” cannot be {transition}ed.")
        if not rule.allowed(access, current):
            raise NotAllowed((rule.refusal and rule.refusal(access, current)) or "Your role does not allow this.")
        from_state = current.state
        now = timezone.now()
        values = dict(changes or {})
        values["state"] = rule.target or from_state
        values["version"] = current.version + 1
        values["updated_at"] = now
        if rule.target == S.SUBMITTED:
            values["submitted_at"] = now
        if rule.target == S.PUBLISHED:
            values["published_at"] = now
        # Conditional update: belt and braces with the row lock, for databases without SELECT ... FOR UPDATE.
        updated = model.objects.filter(pk=current.pk, version=expected_version).update(**values)
        if not updated:
            raise StaleItem(model.objects.get(pk=current.pk))
        current.refresh_from_db()
        record_event(current, actor=access.user, transition=transition, from_state=from_state, comment=comment)
    return current


def record_event(item, *, actor, transition: str, from_state: str = "", comment: str = "") -> ReviewEvent:
    return ReviewEvent.objects.create(
        **item_filter(item),
        actor=actor,
        transition=transition,
        from_state=from_state,
        to_state=item.state,
        comment=comment,
    )
