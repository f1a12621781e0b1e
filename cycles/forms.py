from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from csa_tracker.dates import day_in_words
from csa_tracker.forms import DateInput, ProjectModelForm, ReasonForm
from priorities.models import Plan

from .models import ReportingCycle
from .services import DATE_LABELS, cycle_date_doubts, validate_cycle


class CycleForm(ProjectModelForm):
    # Shown only when a date is far from the period (services.cycle_date_doubts); hidden otherwise so
    # a form sent again keeps what was typed.
    confirm_dates = forms.BooleanField(
        label="These dates are right",
        required=False,
        widget=forms.HiddenInput(),
        help_text="Tick to save dates far from the period's end, such as a deadline months later.",
    )

    class Meta:
        model = ReportingCycle
        fields = [
            "plan",
            "name",
            "period_start",
            "period_end",
            "update_deadline",
            "review_meeting",
            "governing_meeting",
        ]
        labels = {
            "plan": "Plan",
            "review_meeting": "Working Group review meeting",
            "governing_meeting": "Governing group meeting",
        }
        widgets = {name: DateInput() for name in fields if name not in ("plan", "name")}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        plans = Plan.objects.for_partnership(partnership)
        self.fields["plan"].queryset = plans
        if self.instance.pk is None and not self.initial.get("plan"):
            # A new cycle most often belongs to the newest plan: chosen already, still changeable.
            self.initial["plan"] = plans.values_list("pk", flat=True).first()

    def clean(self):
        data = super().clean()
        needed = ("plan", "name", "period_start", "period_end", "update_deadline")
        if all(data.get(name) for name in needed):
            meetings = {name: data.get(name) for name in ("review_meeting", "governing_meeting")}
            try:
                validate_cycle(**{name: data[name] for name in needed}, **meetings, pk=self.instance.pk)
            except ValidationError as exc:
                for name, errors in exc.error_dict.items():
                    self.add_error(name, errors)
            else:
                self._question_far_dates(data)
        return data

    def _question_far_dates(self, data):
        """Dates far from the period's end are saved only once confirmed; unchanged ones are not asked."""
        changed = {
            name: data.get(name)
            for name in DATE_LABELS
            if self.instance.pk is None or data.get(name) != getattr(self.instance, name)
        }
        doubts = cycle_date_doubts(period_end=data["period_end"], dates=changed)
        if doubts and not data.get("confirm_dates"):
            self.fields["confirm_dates"].widget = forms.CheckboxInput()
            for name, message in doubts.items():
                self.add_error(name, message)

    def validate_unique(self):
        """`validate_cycle` already says which name is taken, in words."""


class CycleReasonForm(ReasonForm):
    """The reason for a lock, reopen or publication, kept in the cycle's history."""

    def __init__(self, *args, required: bool, **kwargs):
        super().__init__(*args, required=required, recorded_in="the cycle's history", **kwargs)


class ReopenForm(CycleReasonForm):
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
            raise ValidationError(f"The new deadline is in the past: give {day_in_words(today)} or a later day.")
        return day
