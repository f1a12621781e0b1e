from django import forms

from csa_tracker.dates import day_in_words
from csa_tracker.forms import ProjectForm

from .models import Report
from .outputs import validate_word_template, word_template_shown

UNKNOWN_REPORT = "There is no published report with that number in this partnership; choose one from the list."


class ReportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, report: Report) -> str:
        published = day_in_words(report.published_at)
        return f"{report.plan.title}, {report.cycle.name}, version {report.version} ({published})"


class CompareForm(ProjectForm):
    a = ReportChoiceField(
        queryset=Report.objects.none(), label="Earlier report", error_messages={"invalid_choice": UNKNOWN_REPORT}
    )
    b = ReportChoiceField(
        queryset=Report.objects.none(), label="Later report", error_messages={"invalid_choice": UNKNOWN_REPORT}
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        reports = reports.select_related("plan", "cycle")
        for name in ("a", "b"):
            self.fields[name].queryset = reports
            self.fields[name].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            raise forms.ValidationError("Choose two different reports to compare.")
        return data


CORRECTION_HELP = "Say what changed and why; it is shown on the version it replaces."


class PublishForm(ProjectForm):
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for the correction",
        help_text="Needed only to correct a published version; shown on the version it replaces.",
    )

    def for_correction(self) -> None:
        """A version is already published, so publishing again is a correction, which needs the reason
        (`services.report_publish`): the help says so."""
        # On the bound field, which the page renders: it copied the field's help when first made.
        self["reason"].help_text = CORRECTION_HELP


class WordTemplateShown:
    """The upload and removal forms carry what the page showed of the template (`word_template_shown`),
    so a change made meanwhile in another tab is not overwritten unseen (issue 23)."""

    def __init__(self, *args, settings, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_seen(word_template_shown(settings))

    def show_saved(self, current) -> None:
        """After a stale save (`csa_tracker.refusals.refuse_on_form`): the template as stored now."""
        self.renew_seen(word_template_shown(current))
        self.saved_values = [("Current template", current.word_template_name or "None: the plain layout")]


class WordTemplateForm(WordTemplateShown, ProjectForm):
    template = forms.FileField(
        label="Word template (.docx)",
        help_text=(
            "A Word document with your letterhead, headers, footers and styles, at most 5 MB. Its body text is "
            "replaced by the report; its Heading 1 and Heading 2 styles are used for the report's headings."
        ),
        error_messages={"required": "Choose the Word template (.docx) to upload."},
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )

    def clean_template(self):
        upload = self.cleaned_data["template"]
        validate_word_template(upload)
        return upload


class RemoveWordTemplateForm(WordTemplateShown, ProjectForm):
    confirm = forms.BooleanField(
        label="Yes, remove the template and go back to the plain layout",
        error_messages={"required": "Tick the box to confirm that the template should be removed."},
    )
