from django import forms

from csa_tracker.accounts.models import Organisation

from .models import Action, FundingSource, Status, Theme


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["wording", "leads", "supporters", "funding", "status", "themes", "start_date", "due_date", "order"]
        widgets = {
            "wording": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "leads": forms.SelectMultiple(attrs={"size": 8}),
            "supporters": forms.SelectMultiple(attrs={"size": 8}),
            "themes": forms.CheckboxSelectMultiple,
        }
        labels = {"leads": "Lead organisations", "supporters": "Supporting organisations", "funding": "Funding source"}
        help_texts = {
            "leads": "Their partners write the progress. Hold Ctrl (or Cmd) to choose several.",
            "funding": "Leave empty when the plan does not state a funding source.",
            "themes": "Cross-cutting themes this action contributes to; the Working Group keeps the list in Settings.",
        }

    def __init__(self, *args, partnership, **kwargs):
        """Every choice is the partnership's own: another partnership's entry is an error on its field."""
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(partnership=partnership).order_by("name")
        choices = {
            "leads": organisations,
            "supporters": organisations,
            "funding": FundingSource.objects.in_partnership(partnership),
            "status": Status.objects.in_partnership(partnership),
            "themes": Theme.objects.in_partnership(partnership),
        }
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset
            self.fields[name].error_messages["invalid_choice"] = "Choose from this partnership's own list."
            self.fields[name].error_messages["invalid_pk_value"] = "Choose from this partnership's own list."
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
