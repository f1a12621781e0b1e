"""Writes of the settings pages; each is atomic, asks the model's policy and writes its audit entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from actions.models import FundingSource, Status, Theme
from actions.policies import VOCABULARIES
from csa_tracker.accounts.figures import figures_changed
from csa_tracker.accounts.models import Organisation
from csa_tracker.accounts.policies import ORGANISATIONS, PARTNERSHIPS
from csa_tracker.audit.services import audit_record, changes_between, field_values
from csa_tracker.audit.stale import refuse_if_changed, refuse_if_moved
from csa_tracker.dates import day_in_words
from csa_tracker.forms import Seen, digest
from csa_tracker.refusals import Invalid
from indicators.models import Indicator, Population, Target, Unit
from indicators.policies import AREAS, INDICATORS
from priorities.models import Plan
from priorities.policies import PLANS

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
    "target_tolerance_pct",
    "retired_on",
)
# The labels the indicator form shows for its two thresholds; the rule's messages name them.
STABLE_BAND_LABEL = "Stable band (%)"
CHANGE_THRESHOLD_LABEL = "Flag a change of more than (%)"


def threshold_refusals(*, stable_band_pct, change_threshold_pct) -> dict[str, str]:
    """What is wrong with an indicator's two thresholds (Decimal percentages, either None when not given), as
    {field name: sentence naming its label}; empty when they are sound. A change within ± the stable band
    reads "Stable" and one of more than the threshold is flagged for review (README "Indicators"), so both are
    0 or more and the threshold is not below the band (a change read as stable is never flagged). Source:
    issue 25 (a band of −5 was saved and the page read "changes within ±-5.0% are stable")."""
    refused = {}
    if stable_band_pct is not None and stable_band_pct < 0:
        refused["stable_band_pct"] = f"{STABLE_BAND_LABEL} must be 0 or more."
    if change_threshold_pct is not None and change_threshold_pct < 0:
        refused["change_threshold_pct"] = f"{CHANGE_THRESHOLD_LABEL} must be 0 or more."
    if not refused and None not in (stable_band_pct, change_threshold_pct) and change_threshold_pct < stable_band_pct:
        band = Decimal(str(stable_band_pct)).normalize()
        refused["change_threshold_pct"] = (
            f"{CHANGE_THRESHOLD_LABEL} must be at least the stable band, {band:f}%: "
            "a change read as stable is never flagged."
        )
    return refused


PLAN_AUDITED = ("version_label", "action_table", "report_layout")


def _policy_of(model):
    """The policy of a settings list's model (`<app>.policies`)."""
    return {Status: VOCABULARIES, FundingSource: VOCABULARIES, Theme: VOCABULARIES, Organisation: ORGANISATIONS}.get(
        model, AREAS
    )


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
def indicator_save(*, access, indicator: Indicator | None, fields: dict, seen: Seen | None = None) -> Indicator:
    """Create (indicator None) or change an indicator of `access.partnership` from the form's cleaned
    data (`areas` and `leads` are lists). The slug, the indicator's address, is made once and kept.
    `seen`: what the edit page showed (the form's). Raises NotAllowed unless the person changes the
    partnership's settings; Stale when the indicator changed since the page was opened; Invalid when the
    stable band or the change threshold breaks `threshold_refusals`. `rate_per` counts only for a rate
    (issue 25)."""
    INDICATORS.check(access, "change", indicator or Indicator(partnership=access.partnership))
    if indicator is not None:
        refuse_if_changed(indicator, seen, noun="this indicator")
    fields = dict(fields)
    thresholds = {
        name: fields.get(name, getattr(indicator, name, None)) for name in ("stable_band_pct", "change_threshold_pct")
    }
    if refused := threshold_refusals(**thresholds):
        raise Invalid(refused)
    areas, leads = fields.pop("areas", []), fields.pop("leads", [])
    created = indicator is None
    if fields.get("unit", getattr(indicator, "unit", None)) != Unit.RATE_PER_1000:
        # Only a rate is per so many people: for a count or a percentage the figure sent is ignored and the
        # stored one kept (issue 25).
        fields.pop("rate_per", None)
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
    Indicator.objects.filter(pk=indicator.pk).refresh_stale_from()  # its period type or geography may have moved
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
    INDICATORS.check(access, "change", indicator)
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
def plan_settings_update(*, access, plan: Plan, fields: dict, seen: Seen | None = None) -> bool:
    """Set the plan's version label, the report's action table and its layout on paper; the change goes
    into the audit trail. Returns False (writing nothing) when nothing changed. `seen`: what the page
    showed (the form's); raises Stale when the settings changed since it was opened."""
    PLANS.check(access, "change_settings", plan)
    refuse_if_changed(plan, seen, noun="these plan settings")
    before = field_values(Plan.objects.get(pk=plan.pk), PLAN_AUDITED)
    for name, value in fields.items():
        setattr(plan, name, value)
    changes = changes_between(before, field_values(plan, PLAN_AUDITED))
    if not changes:
        return False
    plan.save(update_fields=list(fields))
    audit_record(plan, actor=access.user, verb="edit", summary="Plan settings changed", changes=changes)
    return True


def targets_shown(indicator: Indicator) -> str:
    """The `digest` of the indicator's targets (period end, value), as its page lists them."""
    return digest(sorted(indicator.targets.values_list("period_end", "value")))


def populations_shown(area) -> str:
    """The `digest` of the area's populations (year, value), as its page lists them."""
    return digest(sorted(area.populations.values_list("year", "value")))


@transaction.atomic
def target_set(
    *, access, indicator: Indicator, period_end: date, value, seen: str | None = None
) -> tuple[Target, bool]:
    """The indicator's target for the period ending `period_end`; returns (target, created). `seen`:
    `targets_shown` as the page showed them; raises Stale when they changed since (a target typed for
    a period someone has just set would overwrite theirs)."""
    INDICATORS.check(access, "change", indicator)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    refuse_if_moved(indicator, seen, targets_shown(indicator), noun="this indicator's targets")
    target, created = Target.objects.update_or_create(
        indicator=indicator, period_end=period_end, defaults={"value": value}
    )
    figures_changed(access.partnership)  # what published figures show may change (indicators.figure_cache)
    summary = f"Target for the period ending {day_in_words(period_end)} {'set' if created else 'changed'}: {value}"
    audit_record(indicator, actor=access.user, verb="edit", summary=summary)
    return target, created


# The lists of the settings pages (statuses, funding sources, themes, organisations, areas), their
# populations, comparability notes and the partnership's year all name or label published figures: each
# change below starts a new generation of them and is written to the audit trail.


@transaction.atomic
def entry_save(*, access, form, noun: str):
    """Save a list entry from its bound, valid ModelForm; returns the entry, or None when the form
    changed nothing (an existing entry saved unchanged writes nothing)."""
    entry = form.instance
    _policy_of(type(entry)).check(access, "change", entry)
    created = entry.pk is None
    refuse_if_changed(entry, form.seen, noun=f"this {noun}")
    if not created and not form.has_changed():
        return None
    fields = [name for name in form.fields if name in {f.name for f in entry._meta.get_fields()}]
    # From the database: a bound ModelForm has already copied the new values onto the instance.
    before = {} if created else field_values(type(entry).objects.get(pk=entry.pk), fields)
    entry = form.save()
    figures_changed(access.partnership)
    changes = changes_between(before, field_values(entry, fields))
    summary = f"{noun.capitalize()} “{entry}” {'added' if created else 'changed'}"
    audit_record(entry, actor=access.user, verb="create" if created else "edit", summary=summary, changes=changes)
    return entry


@transaction.atomic
def entry_delete(*, access, entry, noun: str) -> None:
    """Delete a list entry nobody uses; raises ProtectedError (nothing deleted) when something does."""
    _policy_of(type(entry)).check(access, "change", entry)
    audit_record(entry, actor=access.user, verb="delete", summary=f"{noun.capitalize()} “{entry}” deleted")
    entry.delete()
    figures_changed(access.partnership)


@transaction.atomic
def partnership_year_set(*, access, month: int, seen: Seen | None = None) -> bool:
    """The month the partnership's year starts in (1-12); False when it already does. `seen`: what the
    page showed (the form's); raises Stale when the month changed since it was opened."""
    partnership = access.partnership
    PARTNERSHIPS.check(access, "change_settings", partnership)
    refuse_if_changed(partnership, seen, noun="the year's start")
    # From the database: the settings form may already have copied the new month onto this object.
    held = type(partnership).objects.get(pk=partnership.pk)
    before = field_values(held, ["year_start_month"])
    if held.year_start_month == month:
        return False
    partnership.year_start_month = month
    partnership.save(update_fields=["year_start_month"])
    figures_changed(partnership)  # periods are labelled by the partnership's year
    changes = changes_between(before, field_values(partnership, ["year_start_month"]))
    audit_record(
        partnership,
        actor=access.user,
        verb="edit",
        summary="Year start changed",
        changes=changes,
        partnership=partnership,
    )
    return True


@transaction.atomic
def comparability_note_add(*, access, indicator: Indicator, form) -> None:
    """Add the note in the bound, valid form to `indicator`."""
    INDICATORS.check(access, "change", indicator)
    form.instance.indicator = indicator
    note = form.save()
    figures_changed(access.partnership)
    summary = f"Comparability note from {day_in_words(note.effective_from)} added"
    audit_record(indicator, actor=access.user, verb="edit", summary=summary)


@transaction.atomic
def population_set(*, access, area, year: int, value: int, seen: str | None = None) -> bool:
    """The area's population in `year`; True when it was added, False when an earlier figure changed.
    `seen`: `populations_shown` as the page showed them; raises Stale when they changed since."""
    AREAS.check(access, "change", area)
    area = type(area).objects.select_for_update().get(pk=area.pk)
    refuse_if_moved(area, seen, populations_shown(area), noun=f"{area.name}'s populations")
    _, created = Population.objects.update_or_create(geography=area, year=year, defaults={"value": value})
    figures_changed(access.partnership)  # rates change
    population_recorded(access=access, area=area, year=year, value=value, created=created)
    return created


def population_recorded(*, access, area, year: int, value: int, created: bool) -> None:
    """The audit entry of one population written, typed or imported: about its area, inside the
    caller's transaction."""
    summary = f"{year} population of {area} {'added' if created else 'changed'}: {value:,}"
    audit_record(area, actor=access.user, verb="edit", summary=summary)
