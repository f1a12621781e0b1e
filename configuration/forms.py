"""Forms of the settings pages. Names are compared with `name_key` within the partnership only."""

from __future__ import annotations

import calendar
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator

from actions.models import FundingSource, Status, Theme
from csa_tracker.accounts.models import Organisation, Partnership
from csa_tracker.dates import day_in_words
from csa_tracker.forms import DateInput, ProjectForm, ProjectModelForm
from csa_tracker.messages import a_or_an
from csa_tracker.ordering import next_order
from csa_tracker.text import name_key, normalise_text
from indicators.forms import FlexibleDecimalField
from indicators.models import ComparabilityNote, Geography, Indicator, Unit
from indicators.ons_codes import code_refusal
from priorities.models import Plan, PlanPriority, Priority

from .services import CHANGE_THRESHOLD_LABEL, STABLE_BAND_LABEL, populations_shown, targets_shown, threshold_refusals


class PartnershipEntryForm(ProjectModelForm):
    """A vocabulary entry of one partnership: its name must not repeat another entry's of the same kind."""

    noun = "entry"

    def __init__(self, *args, partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership  # a new entry is the partnership's from the start
        if "order" in self.fields and self.instance.pk is None:
            # A new entry goes last in its list, not first (issue 25).
            self.initial["order"] = next_order(type(self.instance).objects.filter(partnership=partnership))

    def clean_name(self):
        name = " ".join(normalise_text(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError(f"Give the {self.noun} a name.")
        others = type(self.instance).objects.filter(partnership=self.partnership).exclude(pk=self.instance.pk)
        key = name_key(name)
        if any(name_key(other) == key for other in others.values_list("name", flat=True)):
            raise forms.ValidationError(f"There is already {a_or_an(self.noun)} called “{name}” in this partnership.")
        return name


MAX_SEVERITY = 9


class StatusForm(PartnershipEntryForm):
    noun = "status"

    class Meta:
        model = Status
        fields = ["name", "order", "severity", "is_complete"]
        labels = {"order": "Position in lists", "is_complete": "This status means the action is complete"}
        help_texts = {"order": "Lower numbers come first."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rating reads 0–1 green, 2 amber, 3 or more red; nine steps are more than any partnership uses.
        severity = self.fields["severity"]
        severity.max_value = MAX_SEVERITY
        severity.validators.append(MaxValueValidator(MAX_SEVERITY))
        severity.widget.attrs["max"] = MAX_SEVERITY


class FundingSourceForm(PartnershipEntryForm):
    noun = "funding source"

    class Meta:
        model = FundingSource
        fields = ["name"]


class ThemeForm(PartnershipEntryForm):
    noun = "theme"

    class Meta:
        model = Theme
        fields = ["name", "order"]
        labels = {"order": "Position in lists"}
        help_texts = {"order": "Lower numbers come first."}


class OrganisationForm(PartnershipEntryForm):
    noun = "organisation"

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind"]
        labels = {"short_name": "Short name", "kind": "Kind of organisation"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An example from the partnership's own organisations, never another's (issue 25: "e.g. KCC" everywhere).
        named = Organisation.objects.filter(partnership=self.partnership).exclude(short_name="").order_by("name")
        example = named.exclude(pk=self.instance.pk).first() if self.instance.pk else named.first()
        shown = f"e.g. {example.short_name} for {example.name}" if example else "e.g. the organisation's initials"
        self.fields["short_name"].help_text = f"Shown in tables where space is short, {shown}."

    def clean_short_name(self):
        return " ".join(normalise_text(self.cleaned_data["short_name"]).split())


MONTHS = [(number, calendar.month_name[number]) for number in range(1, 13)]


class PartnershipYearForm(ProjectModelForm):
    """The month the partnership's year starts: its quarters, years to date and year labels follow it."""

    year_start_month = forms.TypedChoiceField(
        choices=MONTHS,
        coerce=int,
        label="The partnership's year starts in",
        help_text="April gives financial years (Q1 = April–June); October gives Q1 = October–December.",
        error_messages={
            "invalid_choice": "Choose the month the partnership's year starts in, from January to December.",
            "required": "Choose the month the partnership's year starts in, from January to December.",
        },
    )

    class Meta:
        model = Partnership
        fields = ["year_start_month"]


class IndicatorForm(ProjectModelForm):
    """An indicator of one partnership; every choice is the partnership's own."""

    class Meta:
        model = Indicator
        fields = [
            "name",
            "priority",
            "unit",
            "rate_per",
            "polarity",
            "period_type",
            "geography",
            "areas",
            "source",
            "leads",
            "headline",
            "compare_with",
            "stable_band_pct",
            "change_threshold_pct",
            "target_tolerance_pct",
            "suppress_below",
            "order",
        ]
        labels = {
            "rate_per": "Rate per how many people",
            "period_type": "Period each figure covers",
            "leads": "Lead organisations (who supply the readings)",
            "headline": "Show on the governing group's dashboard",
            "stable_band_pct": STABLE_BAND_LABEL,
            "change_threshold_pct": CHANGE_THRESHOLD_LABEL,
            "target_tolerance_pct": "Target tolerance (% of the target)",
            "suppress_below": "Hide district counts below",
            "order": "Position in lists",
        }
        widgets = {"areas": forms.CheckboxSelectMultiple, "leads": forms.CheckboxSelectMultiple}

    def __init__(self, *args, partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)
        areas = Geography.objects.in_partnership(partnership)
        self.fields["geography"].queryset = areas
        self.fields["areas"].queryset = areas
        self.fields["leads"].queryset = Organisation.objects.filter(partnership=partnership).order_by("name")
        priorities = Priority.objects.filter(partnership=partnership).order_by("slug")
        titles = dict(
            PlanPriority.objects.filter(priority__partnership=partnership)
            .order_by("plan__starts")
            .values_list("priority_id", "title")
        )  # the latest plan's title wins
        self.fields["priority"].queryset = priorities
        self.fields["priority"].label_from_instance = lambda priority: titles.get(priority.pk, priority.slug)
        self.fields["target_tolerance_pct"].required = False
        if self.instance.pk is None:
            # A new indicator goes last in lists, not first (issue 25).
            self.initial["order"] = next_order(Indicator.objects.filter(partnership=partnership))
        self.fields["rate_per"].min_value = 1
        self.fields["rate_per"].widget.attrs["min"] = 1
        # Asked only for a rate (issue 25): static/js/shown-for.js hides it while the unit is another; without
        # JavaScript it stays in view, and `clean` ignores it for a count or a percentage.
        self.fields["rate_per"].required = False
        shown_for = {"data-shown-for-field": "unit", "data-shown-for": Unit.RATE_PER_1000}
        self.fields["rate_per"].widget.attrs.update(shown_for)
        self.fields["rate_per"].help_text = "Only for a rate: 1,000 gives “per 1,000 population”."
        for name in ("geography", "areas", "leads", "priority"):
            self.fields[name].error_messages["invalid_choice"] = "Choose from this partnership's own list."
            self.fields[name].error_messages["invalid_pk_value"] = "Choose from this partnership's own list."

    def clean_name(self):
        name = " ".join(normalise_text(self.cleaned_data["name"]).split())
        others = Indicator.objects.filter(partnership=self.partnership).exclude(pk=self.instance.pk)
        if any(name_key(other) == name_key(name) for other in others.values_list("name", flat=True)):
            raise forms.ValidationError(f"There is already an indicator called “{name}” in this partnership.")
        return name

    def clean_target_tolerance_pct(self):
        tolerance = self.cleaned_data.get("target_tolerance_pct")
        if tolerance is None:
            return Decimal(0)  # left empty: no tolerance, as for an indicator made before there was one
        if not 0 <= tolerance <= 100:
            raise forms.ValidationError("Target tolerance (% of the target) must be from 0 to 100, e.g. 5.")
        return tolerance

    def clean_rate_per(self):
        rate_per = self.cleaned_data.get("rate_per")
        if rate_per is not None and rate_per < 1:
            raise forms.ValidationError("A rate is per at least 1 person, e.g. 1,000 or 100,000.")
        return rate_per

    def clean(self):
        """A rate needs its "Rate per how many people"; for a count or a percentage the field is not asked and
        what was sent is ignored: the indicator keeps its stored figure, 1,000 for a new one (issue 25)."""
        data = super().clean()
        if data.get("unit") == Unit.RATE_PER_1000:
            if data.get("rate_per") is None and "rate_per" not in self.errors:
                self.add_error("rate_per", "Enter the rate per how many people, e.g. 1,000 or 100,000.")
        elif "unit" in data:
            self.errors.pop("rate_per", None)  # a mistyped figure in a field not asked is no error
            data["rate_per"] = self.instance.rate_per
        # Each threshold's own rule (issue 25); a field already refused (not a number) is not checked again.
        thresholds = {name: data.get(name) for name in ("stable_band_pct", "change_threshold_pct")}
        for name, message in threshold_refusals(**thresholds).items():
            if name not in self.errors:
                self.add_error(name, message)
        main = data.get("geography")
        if main is not None and data.get("areas") is not None:
            data["areas"] = [area for area in data["areas"] if area.pk != main.pk]
        return data


class TargetForm(ProjectForm):
    period_end = forms.DateField(
        label="Last day of the period",
        widget=DateInput(),
        error_messages={
            "invalid": "Enter the last day of the period as a date, such as 31/03/2018.",
            "required": "Enter the last day of the period.",
        },
    )
    value = FlexibleDecimalField(label="Target", error_messages={"required": "Enter the target figure."})

    def __init__(self, *args, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, **kwargs)
        self.set_seen(targets_shown(indicator))

    def show_saved(self, current) -> None:
        """After a stale save (`csa_tracker.refusals.refuse_on_form`): the targets as saved now."""
        self.renew_seen(targets_shown(current))
        self.saved_values = [
            (f"Target for the period ending {day_in_words(target.period_end)}", f"{target.value.normalize():f}")
            for target in current.targets.order_by("period_end")
        ]

    def clean_period_end(self):
        try:
            return self.indicator.period_ending(self.cleaned_data["period_end"]).end
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ComparabilityNoteForm(ProjectModelForm):
    class Meta:
        model = ComparabilityNote
        fields = ["effective_from", "text"]
        labels = {"effective_from": "First day it applies", "text": "What changed"}
        help_texts = {"effective_from": "Periods either side of this day are not compared."}
        widgets = {"effective_from": DateInput(), "text": forms.Textarea(attrs={"rows": 2})}

    def clean_text(self):
        text = normalise_text(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError("Say what changed, e.g. a new recording method.")
        return text


class PlanSettingsForm(ProjectModelForm):
    class Meta:
        model = Plan
        fields = ["version_label", "action_table", "report_layout"]
        widgets = {"action_table": forms.RadioSelect, "report_layout": forms.RadioSelect}
        labels = {
            "version_label": "Version or “Rolling”",
            "action_table": "The report's action table",
            "report_layout": "The report's layout on paper (PDF and Word)",
        }

    def clean_version_label(self):
        return " ".join(normalise_text(self.cleaned_data["version_label"]).split())


class AreaForm(PartnershipEntryForm):
    """An area of the partnership; its ONS code is checked (issue 25): its shape, its prefix against the
    kind (`indicators.ons_codes`) and that no other area of the partnership has it."""

    noun = "area"

    class Meta:
        model = Geography
        fields = ["name", "code", "kind", "parent", "districts"]
        labels = {"code": "ONS code", "parent": "Within", "districts": "Districts it combines"}
        widgets = {"districts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Geography.objects.in_partnership(self.partnership)
        parents = areas.exclude(pk=self.instance.pk) if self.instance.pk else areas
        self.fields["parent"].queryset = parents
        self.fields["parent"].error_messages["invalid_choice"] = "Choose from this partnership's own areas."
        # "Within" is a preposition: "Choose a within" is no sentence (issue 25).
        self.fields["parent"].empty_label = "Choose the area it is within (or none)"
        # The partnership's own area as the example, never another's (issue 25: "E10000016 for Kent" everywhere).
        example = areas.code_example()
        shown = f"e.g. {example.code} for {example.name}" if example else "e.g. E06000001"
        self.fields["code"].help_text = f"A letter and 8 digits, {shown}; used to match rows of a population file."
        districts = areas.filter(kind=Geography.Kind.DISTRICT)
        self.fields["districts"].queryset = districts.exclude(pk=self.instance.pk) if self.instance.pk else districts
        self.fields["districts"].error_messages["invalid_choice"] = "Choose from this partnership's own districts."
        self.fields["districts"].help_text = "For a combined area only: two or more of the partnership's districts."
        self.recorded = (self.instance.code, self.instance.kind) if self.instance.pk else None
        self.recorded_districts = set(self.instance.districts.all()) if self.instance.pk else set()

    def clean_code(self):
        code = normalise_text(self.cleaned_data["code"]).strip().upper()
        if not code or self.recorded and code == self.recorded[0]:
            return code  # kept as recorded: saving unchanged is never refused
        label = self.fields["code"].label
        if refusal := code_refusal(code, None, label=label):
            raise forms.ValidationError(refusal)
        other = Geography.objects.in_partnership(self.partnership).filter(code=code).exclude(pk=self.instance.pk)
        if other := other.first():
            raise forms.ValidationError(f"The {label} {code} is already {other.name}'s; each area has its own.")
        return code

    def clean(self):
        data = super().clean()
        code, kind = data.get("code"), data.get("kind")
        changed = code and kind and (code, kind) != self.recorded and "code" not in self.errors
        if changed and (refusal := code_refusal(code, kind, label=self.fields["code"].label)):
            self.add_error("code", refusal)
        self._check_nesting(data.get("kind"), data.get("parent"))
        self._check_districts(data.get("kind"), data.get("districts"))
        return data

    def _check_districts(self, kind, districts) -> None:
        """A combined area combines two or more districts; no other kind combines any; an area a combined
        area combines stays a district. A combined area recorded before the rule is saved unchanged."""
        if not kind or "districts" in self.errors:
            return
        shown = dict(Geography.Kind.choices)
        chosen = set(districts or ())
        label = self.fields["districts"].label
        unchanged = self.recorded is not None and (kind, chosen) == (self.recorded[1], self.recorded_districts)
        if kind == Geography.Kind.COMBINED and len(chosen) < 2 and not unchanged:
            self.add_error("districts", f"Choose two or more under “{label}”: a combined area combines at least two.")
        elif kind != Geography.Kind.COMBINED and chosen:
            self.add_error(
                "districts",
                f"Only a combined area combines districts: choose the kind “{shown[Geography.Kind.COMBINED]}”, "
                f"or clear “{label}”.",
            )
        if self.instance.pk and kind != Geography.Kind.DISTRICT and "kind" not in self.errors:
            combined = list(self.instance.combined_in.order_by("name"))
            names = ", ".join(area.name for area in combined)
            if combined:
                self.add_error(
                    "kind",
                    f"{names} combine{'s' if len(combined) == 1 else ''} this area as a district, so it stays a "
                    f"district; take it out of {names} first.",
                )

    def _check_nesting(self, kind, parent) -> None:
        """An area is within an area of a larger kind only (`Geography.may_be_within`, issue 25), and, when
        its kind changes, the areas within it stay smaller. On the page and in the areas import (its rows are
        checked by this form)."""
        if not kind:
            return
        shown = dict(Geography.Kind.choices)
        within = self.fields["parent"].label
        if parent is not None and "parent" not in self.errors and not Geography.may_be_within(kind, parent.kind):
            self.add_error(
                "parent",
                f"An area of kind “{shown[kind]}” cannot be within {parent.name} (“{shown[parent.kind]}”): "
                f"for {within} choose an area of a larger kind, or none.",
            )
        if self.instance.pk and "kind" not in self.errors:
            inside = [area for area in self.instance.children.all() if not Geography.may_be_within(area.kind, kind)]
            if inside:
                self.add_error(
                    "kind",
                    f"{', '.join(area.name for area in inside)} {'is' if len(inside) == 1 else 'are'} within this "
                    f"area, so its kind must be larger than “{shown[inside[0].kind]}”; change their {within} first.",
                )

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        ancestor = parent
        while ancestor is not None and self.instance.pk:  # an area cannot end up within itself
            if ancestor.pk == self.instance.pk:
                raise forms.ValidationError("An area cannot be within one of the areas within it.")
            ancestor = ancestor.parent
        return parent


class PopulationForm(ProjectForm):
    """One year's population of `area`; carries what the page showed of its populations (`seen`)."""

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_seen(populations_shown(area))

    def show_saved(self, current) -> None:
        """After a stale save (`csa_tracker.refusals.refuse_on_form`): the populations as saved now."""
        self.renew_seen(populations_shown(current))
        self.saved_values = [(str(row.year), f"{row.value:,}") for row in current.populations.order_by("-year")]

    year = forms.IntegerField(min_value=1900, max_value=2100, error_messages={"required": "Enter the year, e.g. 2017."})
    value = forms.IntegerField(
        label="Population",
        error_messages={"required": "Enter the population.", "invalid": "Enter a whole number, e.g. 1554600."},
    )

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value <= 0:
            raise forms.ValidationError("A population must be more than 0.")
        return value


class PopulationUploadForm(ProjectForm):
    file = forms.FileField(
        label="Population file (CSV, XLSX or ODS)",
        help_text="Columns: Area code, Area name, Year, Population (as ONS mid-year estimates are laid out).",
    )


class ConfigurationUploadForm(ProjectForm):
    kind = forms.ChoiceField(label="What the file holds")
    file = forms.FileField(
        label="Spreadsheet (CSV, XLSX or ODS)", help_text="Start from an export: its columns are the ones expected."
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
