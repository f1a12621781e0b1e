"""The reading form, and how it reads numbers as people type them."""

from decimal import Decimal, InvalidOperation

from django import forms

from csa_tracker.forms import DateInput, LengthValidator
from csa_tracker.messages import noun
from csa_tracker.text import typed_number
from workflow.forms import FlagMixin

from .areas import areas_for
from .models import Geography, Population, Unit
from .values import count_label, reading_value_refusal


def _has_population(geography, year: int) -> bool:
    return Population.objects.filter(geography=geography, year=year).exists()


class FlexibleDecimalField(forms.CharField):
    """Numbers as people type them: "1,234" and "1234.5" are fine; "<5" gets a clear message. Each
    message names the field's label ("Enter the target as a number, such as 1,234 or 12.5.")."""

    def prepare_value(self, value):
        """A stored figure as a person writes it (`typed_number`): a count 1234.00 shows as "1234"."""
        return typed_number(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        value = super().to_python(value)
        for validator in self.validators:  # the length limit, on the text as typed (csa_tracker.forms)
            if isinstance(validator, LengthValidator):
                validator(value)
        value = value.replace(",", "").replace(" ", "")
        if not value:
            return None
        name = noun(self.label)
        if value.startswith("<"):
            raise forms.ValidationError(f"Enter the actual {name}; small numbers are hidden automatically when shown.")
        try:
            number = Decimal(value)
        except InvalidOperation as exc:
            raise forms.ValidationError(f"Enter the {name} as a number, such as 1,234 or 12.5.") from exc
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise forms.ValidationError(f"Enter the {name} as a number, such as 1,234 or 12.5.")
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
    value = FlexibleDecimalField(label="Figure")  # labelled for the indicator's unit in __init__
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
        # The figure is named for what it is (issue 25): a rate indicator takes the count, never the rate.
        value = self.fields["value"]
        value.label = count_label(indicator)
        value.error_messages["required"] = f"Enter the {noun(value.label)}."
        if indicator.unit == Unit.RATE_PER_1000:
            value.help_text = (
                f"The number counted, e.g. 2,786. The rate per {indicator.rate_per:,} population is worked out "
                "from it and the area's population for the year the period ends in."
            )
        elif indicator.unit == Unit.COUNT:
            value.help_text = "A whole number, e.g. 2,786."
        else:
            value.help_text = "The percentage itself, e.g. 12.5 for 12.5%."

    def clean_value(self):
        """The figure as typed, refused (naming its label) where it cannot be stored exactly as the
        indicator's reading: a count, and the count a rate is made from, is a whole number (`values`)."""
        value = self.cleaned_data["value"]
        recorded = self.initial.get("value")
        if value is not None and (recorded is None or Decimal(recorded) != value):  # a recorded figure saves unchanged
            refusal = reading_value_refusal(self.indicator, value, label=noun(self.fields["value"].label))
            if refusal:
                raise forms.ValidationError(refusal)
        return value

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
