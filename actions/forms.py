from django import forms

from csa_tracker.accounts.models import Organisation
from csa_tracker.forms import PlainModelForm

from .models import Action


class ActionForm(PlainModelForm):
    class Meta:
        model = Action
        fields = ["wording", "leads", "supporters", "funding", "status", "start_date", "due_date", "order"]
        widgets = {
            "wording": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
            # Ticked boxes with a filter box (static/js/checkbox-filter.js), not a Ctrl-click list.
            "leads": forms.CheckboxSelectMultiple(attrs={"data-checkbox-filter": "lead organisations"}),
            "supporters": forms.CheckboxSelectMultiple(attrs={"data-checkbox-filter": "supporting organisations"}),
        }
        labels = {
            "leads": "Lead organisations",
            "supporters": "Supporting organisations",
            "funding": "Funding source",
            "order": "Position in the priority",
        }
        help_texts = {
            "wording": "What will be done, as the plan states it.",
            "leads": "Tick each organisation that leads the action; their partners write its progress.",
            "supporters": "Tick the organisations that help; they may also write progress.",
            "funding": "Leave empty when the plan does not state a funding source.",
            "order": "Actions are listed by this number within their priority, lowest first.",
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
        if len(wording) > 2_000:
            raise forms.ValidationError("Keep the wording under 2,000 characters.")
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
