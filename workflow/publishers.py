"""Four eyes on publication: where a partnership keeps `separate_publisher` on (the default), whoever
submitted, imported or corrected an item cannot also publish it; another Working Group member must.
`workflow.policies.ReviewedItemPolicy` asks it for the "publish" act, at the moment of publication."""

from __future__ import annotations

from csa_tracker.audit.models import AuditEntry

BROUGHT_IN = ("submit", "import", "correct")  # workflow.transitions.Transition.SUBMIT, IMPORT and CORRECT


def submitted_by(item) -> set[int]:
    """Pks of the people who submitted, imported or corrected this item (every submission counts)."""
    entries = AuditEntry.objects.for_object(item).filter(verb__in=BROUGHT_IN)
    return set(entries.values_list("actor_id", flat=True))


def bringer_may_publish(partnership) -> bool:
    """Whether whoever submits, imports or corrects an item may also publish it: only where the
    partnership does not keep four eyes (`Partnership.separate_publisher` off). The one place the rule
    is read; `publish_refusal` applies it to an item, and the plan import's preview says by it whether
    imported progress is published or waits for a colleague (a role check is made apart)."""
    return not partnership.separate_publisher


def publish_refusal(access, item) -> str:
    """Why this person may not publish the item, or "" when they may (a role check is made apart)."""
    if bringer_may_publish(item.partnership) or access.user is None:
        return ""
    if access.user.pk in submitted_by(item):
        return (
            f"You submitted, imported or corrected this {item.kind.label}, so another member of the Working Group must "
            "publish it. (The partnership asks for a second person to check everything published.)"
        )
    return ""
