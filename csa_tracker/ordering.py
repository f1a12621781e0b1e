"""Where something new goes in a list the Working Group orders by hand ("Position in lists"): last.

Issue 25: a new status went first, as its position defaulted to 0 while the others were 1, 2, 3…
"""

from django.db.models import Max


def next_order(queryset, field: str = "order") -> int:
    """The position after the last of `queryset` (a queryset of one list: a partnership's statuses, a
    priority's actions): the highest `field` plus 1, or 1 for an empty list. One query."""
    last = queryset.aggregate(last=Max(field))["last"]
    return (last or 0) + 1
