"""The review state machine of progress updates and indicator readings, as data: which transitions
are allowed from which states, and which act of the item's policy (`workflow.policies`) each needs.
`csa_tracker.audit.transitions.StateMachine` applies them (row lock, version check, audit entry), for
review items and reporting cycles alike."""

from __future__ import annotations

from functools import cache

from csa_tracker.audit.transitions import NEW, Rule, StateMachine

from .kinds import kind_of
from .models import ReviewState as S
from .models import flag_fields


class Transition:
    """The names of the review transitions, as stored in the audit trail (`csa_tracker.audit.verbs`)."""

    CREATE = "create"
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    RETURN = "return"
    PUBLISH = "publish"
    ESCALATE = "escalate"
    CORRECT = "correct"
    IMPORT = "import"


T = Transition
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
REVIEW_RULES: dict[str, Rule] = {
    T.CREATE: Rule(frozenset({NEW}), S.DRAFT, "edit", "Draft started", "started"),
    T.IMPORT: Rule(frozenset({NEW}), S.SUBMITTED, "edit", "Imported", "imported", stamps=("submitted_at",)),
    T.EDIT: Rule(EDITABLE, "", "edit", "Edited", "changed"),
    T.SUBMIT: Rule(EDITABLE, S.SUBMITTED, "edit", "Submitted", "submitted", stamps=("submitted_at",)),
    T.WITHDRAW: Rule(frozenset({S.SUBMITTED}), S.DRAFT, "edit", "Withdrawn", "withdrawn"),
    T.RETURN: Rule(
        frozenset({S.SUBMITTED}),
        S.RETURNED,
        "review",
        "Returned",
        "returned",
        needs_reason=True,
        reason_prompt="Say what needs to change: a comment is required to return an item.",
    ),
    T.PUBLISH: Rule(
        frozenset({S.SUBMITTED}), S.PUBLISHED, "publish", "Published", "published", stamps=("published_at",)
    ),
    T.ESCALATE: Rule(
        frozenset({S.PUBLISHED}),
        "",
        "review",
        "Escalated",
        "escalated",
        needs_reason=True,
        reason_prompt="Write a note for the governing group: an escalation needs one.",
    ),
    # A correction comes into being submitted, with its reason; it is published like anything else, so
    # where the partnership keeps four eyes on publication another member of the Working Group does it.
    T.CORRECT: Rule(
        frozenset({NEW}),
        S.SUBMITTED,
        "correct",
        "Correction written",
        "corrected",
        needs_reason=True,
        reason_prompt="Give a reason for the correction: it is shown in the history.",
        stamps=("submitted_at",),
    ),
}


@cache
def machine(model: type) -> StateMachine:
    """The review state machine of a reviewed-item model, asking its kind's policy; every transition
    keeps `flagged` in step with `flag` and `rule_flags` (`workflow.models.flag_fields`)."""
    return StateMachine(model, REVIEW_RULES, policy=kind_of(model).policy, derive=flag_fields)


def allowed_transitions(access, item) -> list[str]:
    return machine(type(item)).allowed(access, item)
