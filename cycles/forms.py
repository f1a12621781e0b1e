from django import forms
from django.core.exceptions import ValidationError

from actions.models import Theme
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


class BoardFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, empty_label="All")
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(), required=False, to_field_name="slug", empty_label="All"
    )
    state = forms.ChoiceField(choices=[("", "All"), *BOARD_STATES.items()], required=False)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="All")

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        plan = cycle.agreement
        self.fields["organisation"].queryset = Organisation.objects.filter(
            led_actions__plan_priority__agreement=plan
        ).distinct()
        self.fields["priority"].queryset = Priority.objects.filter(plan_versions__agreement=plan)
        titles = dict(plan.plan_priorities.values_list("priority__slug", "title"))
        self.fields["priority"].label_from_instance = lambda priority: titles.get(priority.slug, priority.slug)
        self.fields["theme"].queryset = Theme.objects.in_partnership(plan.partnership_id)

    def filters(self) -> dict:
        """The valid filters; any value we do not offer is dropped (the view says so)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
