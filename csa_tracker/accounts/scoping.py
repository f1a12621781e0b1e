"""Which partnership a record belongs to, for refusing records that point into another one.

Vocabularies (statuses, funding sources, organisations) are moving from one shared list to lists
owned by each partnership (issue 14). Until every one has its `partnership` field, a record without
one is shared and fits in any partnership; once a model gains the field, these checks apply to it
without further change.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

from .models import Organisation


def owner_id(record) -> int | None:
    """The id of the partnership that owns `record`, or None for a shared record (or none at all)."""
    if record is None:
        return None
    try:
        record._meta.get_field("partnership")
    except FieldDoesNotExist:
        return None
    return record.partnership_id


def fits(record, partnership_id: int | None) -> bool:
    """True when `record` is shared or owned by the partnership `partnership_id`."""
    owner = owner_id(record)
    return owner is None or partnership_id is None or owner == partnership_id


def is_owned(model) -> bool:
    """True when records of `model` belong to one partnership (it has a `partnership` field)."""
    try:
        model._meta.get_field("partnership")
    except FieldDoesNotExist:
        return False
    return True


def foreign_records(instance, names, partnership_id: int | None) -> dict:
    """{field name: record} for each of `instance`'s related fields `names` (foreign keys) set to a
    record owned by another partnership than `partnership_id`; fields of shared models are not fetched."""
    found = {}
    for name in names:
        field = instance._meta.get_field(name)
        if not is_owned(field.related_model) or getattr(instance, field.attname) is None:
            continue
        record = getattr(instance, name)
        if not fits(record, partnership_id):
            found[name] = record
    return found


def refusal(record, partnership, kind: str) -> str:
    """The message for a record pointing into another partnership, e.g. kind="priorities"."""
    return f"“{record}” belongs to {record.partnership}; choose one of {partnership}'s {kind}."


def organisations_of(partnership):
    """The organisations people of `partnership` may act for (QuerySet of Organisation, by name).

    Organisations owned by the partnership once they have an owner; until then, those already taking
    part in it: with a member, leading or supporting one of its actions, or leading one of its indicators.
    """
    if not is_owned(Organisation):
        taking_part = (
            Q(memberships__partnership=partnership)
            | Q(led_actions__plan_priority__plan__partnership=partnership)
            | Q(supported_actions__plan_priority__plan__partnership=partnership)
            | Q(led_indicators__partnership=partnership)
        )
        ids = Organisation.objects.filter(taking_part).values("pk")
        return Organisation.objects.filter(pk__in=ids).order_by("name")
    return Organisation.objects.filter(partnership=partnership).order_by("name")
