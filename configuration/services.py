"""Writes of the settings pages that touch more than one row; each is atomic and checks the role."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify

from csa_tracker.accounts.figures import figures_changed
from csa_tracker.audit.services import audit_record, changes_between, field_values
from indicators.models import Indicator, Target
from priorities.models import Plan

# The fields whose changes the audit trail records (`csa_tracker.audit`), as people read them.
INDICATOR_AUDITED = (
    "name",
    "unit",
    "rate_per",
    "polarity",
    "period_type",
    "geography",
    "areas",
    "source",
    "leads",
    "stable_band_pct",
    "change_threshold_pct",
    "retired_on",
)
PLAN_AUDITED = ("version_label", "action_table")


def _require_settings_role(access) -> None:
    if not (access.is_working_group or access.is_admin):
        raise PermissionDenied("Only the Working Group and administrators change the partnership's settings.")


def _free_slug(partnership, name: str) -> str:
    """A slug from the name, unique in the partnership ("asb-incidents", then "asb-incidents-2")."""
    base = slugify(name)[:40] or "indicator"
    taken = set(Indicator.objects.filter(partnership=partnership, slug__startswith=base).values_list("slug", flat=True))
    taken.add("new")  # the address of the "new indicator" page
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def indicator_save(*, access, indicator: Indicator | None, fields: dict) -> Indicator:
    """Create (indicator None) or change an indicator of `access.partnership` from the form's cleaned
    data (`areas` and `leads` are lists). The slug, the indicator's address, is made once and kept."""
    _require_settings_role(access)
    fields = dict(fields)
    areas, leads = fields.pop("areas", []), fields.pop("leads", [])
    created = indicator is None
    if created:
        indicator = Indicator(partnership=access.partnership, slug=_free_slug(access.partnership, fields["name"]))
        before = {}
    else:
        # From the database: a bound ModelForm has already copied the new values onto `indicator`.
        before = field_values(Indicator.objects.get(pk=indicator.pk), INDICATOR_AUDITED)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.save()
    indicator.areas.set(areas)
    indicator.leads.set(leads)
    figures_changed(access.partnership)  # what published figures show may change (indicators.figure_cache)
    changes = changes_between(before, field_values(indicator, INDICATOR_AUDITED))
    if changes:
        audit_record(
            indicator,
            actor=access.user,
            verb="create" if created else "edit",
            summary="Indicator added" if created else "Indicator changed",
            changes=changes,
        )
    return indicator


@transaction.atomic
def indicator_retire(*, access, indicator: Indicator, on: date | None) -> Indicator:
    """Retire the indicator from `on` (it leaves dashboards and entry forms; readings stay), or bring it
    back with `on=None`."""
    _require_settings_role(access)
    before = field_values(indicator, ["retired_on"])
    indicator.retired_on = on
    indicator.save(update_fields=["retired_on"])
    figures_changed(access.partnership)  # what published figures show may change (indicators.figure_cache)
    audit_record(
        indicator,
        actor=access.user,
        verb="edit",
        summary="Indicator retired" if on else "Indicator brought back",
        changes=changes_between(before, field_values(indicator, ["retired_on"])),
    )
    return indicator


@transaction.atomic
def plan_settings_update(*, access, plan: Plan, fields: dict) -> bool:
    """Set the plan's version label and the report's action table; the change goes into the audit
    trail. Returns False (writing nothing) when nothing changed."""
    _require_settings_role(access)
    before = field_values(Plan.objects.get(pk=plan.pk), PLAN_AUDITED)
    for name, value in fields.items():
        setattr(plan, name, value)
    changes = changes_between(before, field_values(plan, PLAN_AUDITED))
    if not changes:
        return False
    plan.save(update_fields=list(fields))
    audit_record(plan, actor=access.user, verb="edit", summary="Plan settings changed", changes=changes)
    return True


@transaction.atomic
def target_set(*, access, indicator: Indicator, period_end: date, value) -> tuple[Target, bool]:
    """The indicator's target for the period ending `period_end`; returns (target, created)."""
    _require_settings_role(access)
    figures_changed(access.partnership)  # what published figures show may change (indicators.figure_cache)
    return Target.objects.update_or_create(indicator=indicator, period_end=period_end, defaults={"value": value})
