from django import forms

from .models import Note, PlanPriority


class PlanPriorityForm(forms.ModelForm):
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


class NoteForm(forms.ModelForm):
    url = forms.URLField(required=False, assume_scheme="https", label="Link to the source")

    class Meta:
        model = Note
        fields = ["number", "text", "source_title", "publisher", "published", "url"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


NoteFormSet = forms.inlineformset_factory(PlanPriority, Note, form=NoteForm, extra=1, can_delete=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Reason for the change",
        error_messages={"required": "Give a reason: changes to a published plan are recorded with one."},
    )
