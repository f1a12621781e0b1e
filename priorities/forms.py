from django import forms

from csa_tracker.forms import PlainForm, PlainModelForm
from cycles.forms import DateInput

from .models import Note, PlanPriority


class PlanPriorityForm(PlainModelForm):
    class Meta:
        model = PlanPriority
        fields = ["title", "context"]
        widgets = {"context": forms.Textarea(attrs={"rows": 14})}
        help_texts = {"context": "Paragraphs separated by a blank line; refer to a note as [^1]."}

    def clean_context(self):
        context = self.cleaned_data["context"]
        if len(context) > 50_000:
            raise forms.ValidationError("Keep the context under 50,000 characters.")
        return context


class NoteForm(PlainModelForm):
    url = forms.URLField(required=False, assume_scheme="https", label="Link to the source")

    class Meta:
        model = Note
        fields = ["number", "text", "source_title", "publisher", "published", "url"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


NoteFormSet = forms.inlineformset_factory(PlanPriority, Note, form=NoteForm, extra=1, can_delete=True)


class ReasonForm(PlainForm):
    reason = forms.CharField(
        max_length=300,
        label="Reason for the change",
        error_messages={"required": "Give a reason: changes to a published plan are recorded with one."},
    )


class RollForwardForm(PlainForm):
    """Next year's plan: its name and dates, each priority's title, and whose notes to keep."""

    title = forms.CharField(max_length=200, help_text="e.g. Community Safety Agreement 2018/19")
    slug = forms.SlugField(label="Short name", help_text="Used in addresses, e.g. 2018-19.")
    starts = forms.DateField(widget=DateInput())
    ends = forms.DateField(widget=DateInput())
    keep_all_notes = forms.BooleanField(required=False, label="Keep every priority's notes")
    confirm = forms.BooleanField(
        label="I understand this creates the new plan now: open actions are carried into it and completed ones are not."
    )

    def __init__(self, *args, plan_priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_priorities = list(plan_priorities)
        for plan_priority in self.plan_priorities:
            self.fields[f"title_{plan_priority.pk}"] = forms.CharField(
                max_length=200, initial=plan_priority.title, label=f"Title of “{plan_priority.title}” next year"
            )
            self.fields[f"notes_{plan_priority.pk}"] = forms.BooleanField(
                required=False, label=f"Keep the notes of “{plan_priority.title}”"
            )

    def priority_rows(self):
        """Each plan priority with its two fields, for the template."""
        return [(pp, self[f"title_{pp.pk}"], self[f"notes_{pp.pk}"]) for pp in self.plan_priorities]

    def titles(self) -> dict[int, str]:
        return {pp.pk: self.cleaned_data[f"title_{pp.pk}"] for pp in self.plan_priorities}

    def keep_notes(self) -> set[int]:
        keep_all = self.cleaned_data["keep_all_notes"]
        return {pp.pk for pp in self.plan_priorities if keep_all or self.cleaned_data[f"notes_{pp.pk}"]}
