"""What every reviewed item's form shares: the flag for the Working Group, its reason, and the
version the person read (so a stale save is refused, not written over a newer one)."""

from django import forms

from csa_tracker.forms import ProjectForm

from .models import Flag

MAX_TEXT = 20_000


class FlagMixin(ProjectForm):
    flag = forms.ChoiceField(
        choices=Flag.choices,
        required=False,
        widget=forms.RadioSelect,
        label="Flag for the Working Group",
        help_text=(
            "Optional. Significant change: the progress or figure moved much more than usual, for better or "
            "worse. Area of concern: it is at risk (late, short of money or people, or getting worse). A flagged "
            "item is reviewed first; say why in the reason."
        ),
    )
    flag_reason = forms.CharField(
        required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2}), label="Reason for the flag"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    saved_item = None  # set by `show_saved`

    def show_saved(self, current) -> None:
        """After a stale save was refused (`csa_tracker.refusals.refuse_on_form`): `current`, the item
        saved meanwhile, is shown beside the typed text, and saving again replaces it (its version)."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version
        self.saved_item = current

    def clean(self):
        data = super().clean()
        if data.get("flag") and not (data.get("flag_reason") or "").strip():
            self.add_error("flag_reason", "Give a reason for the flag, so the Working Group knows what to look at.")
        if not data.get("flag"):
            data["flag_reason"] = ""
        return data
