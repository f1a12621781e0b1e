from django import forms

from csa_tracker.forms import ProjectForm, ProjectModelForm

from .models import Note, PlanPriority


class PlanPriorityForm(ProjectModelForm):
    class Meta:
        model = PlanPriority
        fields = ["title", "context"]
        widgets = {"context": forms.Textarea(attrs={"rows": 14})}
        help_texts = {"context": "Paragraphs separated by a blank line; refer to a note as [^1]."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["context"].max_length = 50_000


class NoteForm(ProjectModelForm):
    url = forms.URLField(required=False, assume_scheme="https", label="Link to the source")

    class Meta:
        model = Note
        fields = ["number", "text", "source_title", "publisher", "published", "url"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


NoteFormSet = forms.inlineformset_factory(PlanPriority, Note, form=NoteForm, extra=1, can_delete=True)


class ReasonForm(ProjectForm):
    reason = forms.CharField(
        max_length=300,
        label="Reason for the change",
        error_messages={"required": "Give a reason: changes to a published plan are recorded with one."},
    )
