from django import forms

from actions.policies import ACTIONS
from csa_tracker.forms import ProjectForm
from indicators.models import Indicator

from .limits import MAX_BYTES

KINDS = [
    ("actions", "Actions (changes to the plan)"),
    ("updates", "Progress updates"),
    ("readings", "Indicator readings"),
    ("police", "Police street-level crime CSV (counted into monthly readings)"),
]


class ImportForm(ProjectForm):
    kind = forms.ChoiceField(
        choices=KINDS,
        widget=forms.RadioSelect,
        label="What are you importing?",
        error_messages={"required": "Choose what you are importing."},  # a question: no message is made from it
    )
    file = forms.FileField(
        label="File",
        help_text=(
            "Excel workbook (.xlsx), OpenDocument spreadsheet (.ods), or CSV saved as UTF-8 or by Excel on "
            "Windows; up to 10 MB and 50,000 rows."
        ),
    )
    crime_type = forms.CharField(
        required=False,
        max_length=100,
        initial="Anti-social behaviour",
        label="Crime type to count (police file only)",
        help_text="As written in the file’s “Crime type” column, e.g. Anti-social behaviour.",
    )
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.none(),
        required=False,
        label="Indicator the counts are readings of (police file only)",
    )

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.editable_by(access).order_by("name")
        if not ACTIONS.permits(access, "change"):  # only the Working Group changes the plan itself
            self.fields["kind"].choices = [choice for choice in KINDS if choice[0] != "actions"]
        for name, found in self.fields.items():
            css = {"kind": "form-check-input", "indicator": "form-select"}.get(name, "form-control")
            found.widget.attrs["class"] = css
            if found.help_text:
                found.widget.attrs["aria-describedby"] = f"id_{name}-help"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB; split it into smaller files.")
        return upload

    def clean(self):
        data = super().clean()
        if data.get("kind") == "police":
            if not data.get("indicator"):
                self.add_error("indicator", "Choose the indicator the counts are readings of.")
            if not (data.get("crime_type") or "").strip():
                self.add_error("crime_type", "Enter the crime type to count, e.g. Anti-social behaviour.")
        return data


class ConfirmForm(ProjectForm):
    """The preview's Confirm button: no fields; a refusal of the import is its error."""
