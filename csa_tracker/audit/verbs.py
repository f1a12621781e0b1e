"""The registry of audit verbs: every kind of change the audit trail records, once.

`audit_record` refuses a verb that is not here (a programming error, never a person's), and the state
machines check their transitions' names against it when they are built, so the trail's "What" column
and its filters always mean the same things.
"""

from django.db import models


class Verb(models.TextChoices):
    # Records added, changed or removed by the Working Group, administrators or the governing group.
    CREATE = "create", "Added"
    EDIT = "edit", "Changed"
    DELETE = "delete", "Deleted"
    # The review of progress updates and readings (workflow.transitions).
    SUBMIT = "submit", "Submitted"
    WITHDRAW = "withdraw", "Withdrawn"
    RETURN = "return", "Returned"
    PUBLISH = "publish", "Published"
    ESCALATE = "escalate", "Escalated"
    CORRECT = "correct", "Corrected"
    IMPORT = "import", "Imported"
    # Reporting cycles (cycles.services) and plans (actions.roll_forward).
    LOCK = "lock", "Locked"
    REOPEN = "reopen", "Reopened"
    ROLL_FORWARD = "roll_forward", "Rolled forward"
    REMIND = "remind", "Reminded"
    # The governing group's answer to an escalation (workflow.governing).
    RESPOND = "respond", "Responded"
    # The governing group's request for action, followed to its close (workflow.governing, issue 25).
    REQUEST = "request", "Action requested"
    ANSWER = "answer", "Request answered"
    CLOSE = "close", "Request closed"
    # An item's conversation and its evidence (workflow.conversation, evidence.services).
    COMMENT = "comment", "Commented"
    ATTACH = "attach", "Evidence attached"
    DETACH = "detach", "Evidence removed"
    # A person's calendar link made anew (calendars.services): the old one stops working.
    LINK_RESET = "link_reset", "Calendar link reset"
    # Who takes part (csa_tracker.people.services).
    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Invitation accepted"
    WITHDRAWN = "withdrawn", "Invitation withdrawn"
    ROLES_CHANGED = "roles_changed", "Roles changed"
    DEACTIVATED = "deactivated", "Removed"


def registered(verb: str) -> str:
    """`verb` itself when it is in the registry; raises ValueError (a programming error) otherwise."""
    if verb not in Verb.values:
        raise ValueError(f"“{verb}” is not an audit verb: add it to csa_tracker.audit.verbs.Verb first.")
    return verb
