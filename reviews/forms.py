from decimal import Decimal, InvalidOperation

from django import forms

from actions.models import Status, Theme
from csa_tracker.accounts.models import Organisation
from csa_tracker.forms import DateInput, LengthValidator, ProjectForm
from indicators.areas import areas_for
from indicators.models import Geography, Population, Unit
from priorities.models import Priority
from workflow.models import Flag

from .board import BOARD_STATES

MAX_TEXT = 20_000


def _has_population(geography, year: int) -> bool:
    return Population.objects.filter(geography=geography, year=year).exists()


class FlagMixin(ProjectForm):
    flag = forms.ChoiceField(
        choices=Flag.choices,
        required=False,
        widget=forms.RadioSelect,
        label="Flag for the Working Group",
        help_text=(
            "Optional. Significant change: the progress or figure moved much more than usual, for better or "
            "worse. Area of concern: it is at risk (late, short of money or people, or getting worse). A flagged "
            "item is reviewed first; say why in the reason."
        ),
    )
    flag_reason = forms.CharField(
        required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2}), label="Reason for the flag"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("flag") and not (data.get("flag_reason") or "").strip():
            self.add_error("flag_reason", "Give a reason for the flag, so the Working Group knows what to look at.")
        if not data.get("flag"):
            data["flag_reason"] = ""
        return data


class ProgressUpdateForm(FlagMixin):
    text = forms.CharField(
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        label="Progress this period",
        help_text="Paragraphs separated by a blank line; bullets start with “- ”; links as [words](https://…). "
        "Use Preview to see it as it will be shown.",
        error_messages={"required": "Write the progress for this period."},
    )
    status = forms.ModelChoiceField(
        queryset=Status.objects.none(),
        empty_label=None,
        label="Status",
        error_messages={"invalid_choice": "Choose one of this partnership's statuses."},
    )
    field_order = ["text", "status", "flag", "flag_reason"]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = Status.objects.in_partnership(partnership)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the progress for this period.")
        return text

    def item_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "status": data["status"],
            "flag": data["flag"],
            "flag_reason": data["flag_reason"],
        }


class FlexibleDecimalField(forms.CharField):
    """Numbers as people type them: "1,234" and "1234.5" are fine; "<5" gets a clear message."""

    def to_python(self, value):
        value = super().to_python(value)
        for validator in self.validators:  # the length limit, on the text as typed (csa_tracker.forms)
            if isinstance(validator, LengthValidator):
                validator(value)
        value = value.replace(",", "").replace(" ", "")
        if not value:
            return None
        if value.startswith("<"):
            raise forms.ValidationError("Enter the actual figure; small numbers are hidden automatically when shown.")
        try:
            number = Decimal(value)
        except InvalidOperation as exc:
            raise forms.ValidationError("Enter a number, such as 1,234 or 12.5.") from exc
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise forms.ValidationError("Enter a number, such as 1,234 or 12.5.")
        return number


class ReadingForm(FlagMixin):
    geography = forms.ModelChoiceField(
        queryset=Geography.objects.none(),
        empty_label=None,
        label="Area",
        error_messages={"invalid_choice": "Choose one of the areas this indicator is reported for."},
    )
    period_end = forms.DateField(
        label="Last day of the period",
        help_text="For example 31/12/2017 for the 2017 calendar year.",
        widget=DateInput(),
        error_messages={"invalid": "Enter a date, such as 31/12/2017."},
    )
    value = FlexibleDecimalField(label="Figure", error_messages={"required": "Enter the figure."})
    approximate = forms.BooleanField(required=False, label="The source gives this figure as approximate")
    source_note = forms.CharField(required=False, max_length=300, label="Source note")
    field_order = ["geography", "period_end", "value", "approximate", "source_note", "flag", "flag_reason"]

    def __init__(self, *args, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, **kwargs)
        # Only areas the indicator is reported for (indicators.areas); any other is refused with a message.
        # A reading recorded before the rule keeps its area, so saving it unchanged still works.
        recorded = self.initial.get("geography")
        current = Geography.objects.filter(pk=getattr(recorded, "pk", recorded))
        self.fields["geography"].queryset = areas_for(indicator) | current
        self.fields["geography"].error_messages["invalid_choice"] = (
            f"Choose an area “{indicator}” is reported for: {indicator.geography} or an area within it."
        )

    def clean_period_end(self):
        day = self.cleaned_data["period_end"]
        try:
            self.period = self.indicator.period_ending(day)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return self.period.end

    def clean(self):
        data = super().clean()
        geography, end = data.get("geography"), data.get("period_end")
        is_rate = self.indicator.unit == Unit.RATE_PER_1000
        if is_rate and geography is not None and end is not None and not _has_population(geography, end.year):
            self.add_error(
                "geography",
                f"There is no population for {geography.name} in {end.year}, so this rate cannot be worked "
                f"out: add {geography.name}'s {end.year} population under Settings, Areas and populations.",
            )
        return data

    def item_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "indicator": self.indicator,
            "geography": data["geography"],
            "period_start": self.period.start,
            "period_end": data["period_end"],
            "value": data["value"],
            "approximate": data["approximate"],
            "source_note": data["source_note"],
            "flag": data["flag"],
            "flag_reason": data["flag_reason"],
        }


class DecisionForm(ProjectForm):
    DECISIONS = [("publish", "Approve and publish"), ("return", "Return to the submitter")]
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.RadioSelect, label="Decision")
    comment = forms.CharField(
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Comment",
        help_text="Required when returning: say what needs to change.",
    )
    escalate = forms.BooleanField(required=False, label="Also escalate to the governing group")
    escalation_note = forms.CharField(
        required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}), label="Note for the governing group"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what needs to change: a comment is required to return an item.")
        if data.get("escalate") and not (data.get("escalation_note") or "").strip():
            self.add_error("escalation_note", "Write a note for the governing group to escalate.")
        if data.get("escalate") and data.get("decision") == "return":
            self.add_error("escalate", "Only published items are escalated; choose “Approve and publish” to escalate.")
        return data


class EscalationForm(ProjectForm):
    note = forms.CharField(
        max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}), label="Note for the governing group"
    )


class CorrectionForm(ProjectForm):
    reason = forms.CharField(
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for the correction",
        help_text="Shown in the history, e.g. “typo in the figure”.",
    )


class BoardFilterForm(ProjectForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, empty_label="All")
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(), required=False, to_field_name="slug", empty_label="All"
    )
    state = forms.ChoiceField(choices=[("", "All"), *BOARD_STATES.items()], required=False)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="All")

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        plan = cycle.plan
        self.fields["organisation"].queryset = Organisation.objects.filter(
            led_actions__plan_priority__plan=plan
        ).distinct()
        self.fields["priority"].queryset = Priority.objects.filter(plan_versions__plan=plan)
        titles = dict(plan.plan_priorities.values_list("priority__slug", "title"))
        self.fields["priority"].label_from_instance = lambda priority: titles.get(priority.slug, priority.slug)
        self.fields["theme"].queryset = Theme.objects.in_partnership(plan.partnership_id)

    def filters(self) -> dict:
        """The valid filters; any value we do not offer is dropped (the view says so)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
