from django import forms

from csa_tracker.accounts.models import Organisation
from csa_tracker.forms import DateInput, ProjectModelForm

from .models import Action


class ActionForm(ProjectModelForm):
    class Meta:
        model = Action
        fields = ["wording", "leads", "supporters", "funding", "status", "start_date", "due_date", "order"]
        widgets = {
            "wording": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "due_date": DateInput(),
            "leads": forms.SelectMultiple(attrs={"size": 8}),
            "supporters": forms.SelectMultiple(attrs={"size": 8}),
        }
        labels = {"leads": "Lead organisations", "supporters": "Supporting organisations", "funding": "Funding source"}
        help_texts = {
            "leads": "Their partners write the progress. Hold Ctrl (or Cmd) to choose several.",
            "funding": "Leave empty when the plan does not state a funding source.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leads"].queryset = Organisation.objects.order_by("name")
        self.fields["supporters"].queryset = Organisation.objects.order_by("name")
        self.fields["wording"].max_length = 2_000

    def clean_wording(self):
        wording = self.cleaned_data["wording"].strip()
        if not wording:
            raise forms.ValidationError("Write what the action is.")
        return wording

    def clean(self):
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date is before the start date.")
        both = set(data.get("leads") or []) & set(data.get("supporters") or [])
        if both:
            names = ", ".join(sorted(org.name for org in both))
            self.add_error("supporters", f"{names} cannot both lead and support.")
        return data
