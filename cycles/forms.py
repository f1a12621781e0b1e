from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from csa_tracker.accounts.models import Organisation
from priorities.models import Agreement, Priority

from .board import BOARD_STATES
from .models import ReportingCycle
from .services import validate_cycle


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CycleForm(forms.ModelForm):
    class Meta:
        model = ReportingCycle
        fields = [
            "agreement",
            "name",
            "period_start",
            "period_end",
            "update_deadline",
            "review_meeting",
            "governing_meeting",
        ]
        labels = {
            "agreement": "Plan",
            "review_meeting": "Working Group review meeting",
            "governing_meeting": "Governing group meeting",
        }
        widgets = {name: DateInput() for name in fields if name not in ("agreement", "name")}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.for_partnership(partnership)

    def clean(self):
        data = super().clean()
        needed = ("agreement", "name", "period_start", "period_end", "update_deadline")
        if all(data.get(name) for name in needed):
            try:
                validate_cycle(**{name: data[name] for name in needed}, pk=self.instance.pk)
            except ValidationError as exc:
                for name, errors in exc.error_dict.items():
                    self.add_error(name, errors)
        return data

    def validate_unique(self):
        """`validate_cycle` already says which name is taken, in words."""


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        self.fields["reason"].help_text = "Recorded in the cycle's history." + ("" if required else " Optional.")


class ReopenForm(ReasonForm):
    """Reopening asks for a new update deadline, today or later: the daily job locks a cycle whose
    deadline has passed, so reopening without one would be undone the same night."""

    update_deadline = forms.DateField(
        label="New update deadline",
        widget=DateInput(),
        help_text="Partners can submit until the end of this day; the cycle locks itself the day after.",
        error_messages={"invalid": "Enter a date, such as 30/04/2018.", "required": "Give the new update deadline."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["update_deadline"].initial = timezone.localdate() + timedelta(days=7)

    def clean_update_deadline(self):
        day = self.cleaned_data["update_deadline"]
        today = timezone.localdate()
        if day < today:
            raise ValidationError(f"The new deadline is in the past: give {today:%-d %B %Y} or a later day.")
        return day


class BoardFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, empty_label="All")
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(), required=False, to_field_name="slug", empty_label="All"
    )
    state = forms.ChoiceField(choices=[("", "All"), *BOARD_STATES.items()], required=False)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        plan = cycle.agreement
        self.fields["organisation"].queryset = Organisation.objects.filter(
            led_actions__plan_priority__agreement=plan
        ).distinct()
        self.fields["priority"].queryset = Priority.objects.filter(plan_versions__agreement=plan)
        titles = dict(plan.plan_priorities.values_list("priority__slug", "title"))
        self.fields["priority"].label_from_instance = lambda priority: titles.get(priority.slug, priority.slug)

    def filters(self) -> dict:
        """The valid filters; any value we do not offer is dropped (the view says so)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
