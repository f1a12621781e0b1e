"""Forms of the settings pages. Names are compared with `name_key` within the partnership only."""

from __future__ import annotations

from django import forms

from actions.models import FundingSource, Status, Theme
from csa_tracker.accounts.models import Organisation
from csa_tracker.text import name_key, normalise_text


class PartnershipEntryForm(forms.ModelForm):
    """A vocabulary entry of one partnership: its name must not repeat another entry's of the same kind."""

    noun = "entry"

    def __init__(self, *args, partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = " ".join(normalise_text(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError(f"Give the {self.noun} a name.")
        others = type(self.instance).objects.filter(partnership=self.partnership).exclude(pk=self.instance.pk)
        key = name_key(name)
        if any(name_key(other) == key for other in others.values_list("name", flat=True)):
            raise forms.ValidationError(f"There is already a {self.noun} called “{name}” in this partnership.")
        return name

    def save(self, commit=True):
        self.instance.partnership = self.partnership
        return super().save(commit)


class StatusForm(PartnershipEntryForm):
    noun = "status"

    class Meta:
        model = Status
        fields = ["name", "order", "severity", "is_complete"]
        labels = {"order": "Position in lists", "is_complete": "This status means the action is complete"}
        help_texts = {"order": "Lower numbers come first."}


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
        help_texts = {"short_name": "Shown in tables where space is short, e.g. KCC."}

    def clean_short_name(self):
        return " ".join(normalise_text(self.cleaned_data["short_name"]).split())
