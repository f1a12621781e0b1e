"""The review state machine of progress updates and indicator readings, as data: which transitions
are allowed from which states and by whom. `csa_tracker.audit.transitions.StateMachine` applies them
(row lock, version check, audit entry), for review items and reporting cycles alike."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from csa_tracker.audit.transitions import NEW, Rule, StateMachine

from .models import ReviewState as S
from .models import flag_fields
from .publishers import publish_refusal


def is_editor(access, item) -> bool:
    """Partners on their own organisations' subjects, and the Working Group on all."""
    return item.subject_editable_by(access)


def is_reviewer(access, item) -> bool:
    """The Working Group decides."""
    return access.is_working_group


def is_publisher(access, item) -> bool:
    """The Working Group, except whoever submitted or imported the item where the partnership keeps
    publishing separate (workflow.publishers)."""
    return is_reviewer(access, item) and not publish_refusal(access, item)


class Transition:
    """The names of the review transitions, as stored in the audit trail."""

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
ONLY_WG = "Only the Working Group decides on submitted items, corrects and escalates them."
NOT_YOURS = "Your organisation does not lead or support this."
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
REVIEW_RULES: dict[str, Rule] = {
    T.CREATE: Rule(frozenset({NEW}), S.DRAFT, is_editor, "Draft started", "started"),
    T.IMPORT: Rule(frozenset({NEW}), S.SUBMITTED, is_editor, "Imported", "imported", stamps=("submitted_at",)),
    T.EDIT: Rule(EDITABLE, "", is_editor, "Edited", "changed"),
    T.SUBMIT: Rule(EDITABLE, S.SUBMITTED, is_editor, "Submitted", "submitted", stamps=("submitted_at",)),
    T.WITHDRAW: Rule(frozenset({S.SUBMITTED}), S.DRAFT, is_editor, "Withdrawn", "withdrawn"),
    T.RETURN: Rule(
        frozenset({S.SUBMITTED}),
        S.RETURNED,
        is_reviewer,
        "Returned",
        "returned",
        needs_reason=True,
        reason_prompt="Say what needs to change: a comment is required to return an item.",
    ),
    T.PUBLISH: Rule(
        frozenset({S.SUBMITTED}), S.PUBLISHED, is_publisher, "Published", "published", stamps=("published_at",)
    ),
    T.ESCALATE: Rule(
        frozenset({S.PUBLISHED}),
        "",
        is_reviewer,
        "Escalated",
        "escalated",
        needs_reason=True,
        reason_prompt="Write a note for the governing group: an escalation needs one.",
    ),
    T.CORRECT: Rule(
        frozenset({NEW}),
        S.PUBLISHED,
        is_reviewer,
        "Corrected after publication",
        "corrected",
        needs_reason=True,
        reason_prompt="Give a reason for the correction: it is shown in the history.",
        stamps=("submitted_at", "published_at"),
    ),
}


# Who may not take a transition is told which role may.
REVIEW_RULES = {
    name: replace(rule, forbidden=NOT_YOURS if rule.allowed is is_editor else ONLY_WG)
    for name, rule in REVIEW_RULES.items()
}
# The Working Group member who submitted or imported an item is told why they may not publish it.
REVIEW_RULES[T.PUBLISH] = replace(
    REVIEW_RULES[T.PUBLISH], refusal=lambda access, item: publish_refusal(access, item) or ONLY_WG
)


@cache
def machine(model: type) -> StateMachine:
    """The review state machine of a reviewed-item model; every transition keeps `flagged` in step with
    `flag` and `rule_flags` (`workflow.models.flag_fields`)."""
    return StateMachine(model, REVIEW_RULES, derive=flag_fields)


def allowed_transitions(access, item) -> list[str]:
    return machine(type(item)).allowed(access, item)
