from django import forms

from csa_tracker.forms import PlainForm

from .models import Report

UNKNOWN_REPORT = "There is no published report with that number in this partnership; choose one from the list."


class ReportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, report: Report) -> str:
        return (
            f"{report.agreement.title}, {report.cycle.name}, version {report.version} ({report.published_at:%d %b %Y})"
        )


class CompareForm(PlainForm):
    a = ReportChoiceField(
        queryset=Report.objects.none(), label="Earlier report", error_messages={"invalid_choice": UNKNOWN_REPORT}
    )
    b = ReportChoiceField(
        queryset=Report.objects.none(), label="Later report", error_messages={"invalid_choice": UNKNOWN_REPORT}
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        reports = reports.select_related("agreement", "cycle")
        for name in ("a", "b"):
            self.fields[name].queryset = reports
            self.fields[name].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            raise forms.ValidationError("Choose two different reports to compare.")
        return data


class PublishForm(PlainForm):
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for the correction",
        help_text="Needed only to correct a published version; shown on the version it replaces.",
    )
