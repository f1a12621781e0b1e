"""Reading the one audit trail in tests."""

from csa_tracker.audit.models import AuditEntry


def entries(obj, **filters):
    """The audit entries about `obj`, oldest first (filters such as verb="submit")."""
    return AuditEntry.objects.for_object(obj).filter(**filters)


def verbs(obj) -> list[str]:
    return list(entries(obj).values_list("verb", flat=True))
