from django import forms
from django.utils.functional import lazy

from csa_tracker.forms import ProjectForm
from csa_tracker.refusals import Invalid

from .checks import ACCEPTED, check_upload, max_bytes, readable_size


def _help() -> str:
    return (
        f"Optional: {ACCEPTED}, up to {readable_size(max_bytes())}. It is reviewed and published with "
        "this, and listed in the report for those who may read it."
    )


class EvidenceForm(ProjectForm):
    """One file to attach, checked by content (`evidence.checks`); its `cleaned_data["file"]` is a
    `CheckedFile`, or None when no file was chosen. Shown inside the progress and readings forms."""

    prefix = "evidence"
    file = forms.FileField(
        required=False,
        label="Attach evidence",
        help_text=lazy(_help, str)(),
        error_messages={"empty": "The file you chose is empty (0 bytes): attach the file with its content."},
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > max_bytes():  # refused before it is read into memory
            raise forms.ValidationError(
                f"“{upload.name}” is {readable_size(upload.size)}; the limit is {readable_size(max_bytes())}. "
                "Attach a smaller file, or split it."
            )
        try:
            return check_upload(upload.name, upload.read())
        except Invalid as exc:
            raise forms.ValidationError(str(exc), code="refused") from exc
