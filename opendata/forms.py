from django import forms

from csa_tracker.forms import ProjectForm

from .services import open_data_shown


class OpenDataSettingsForm(ProjectForm):
    public = forms.BooleanField(
        required=False,
        label="Anyone may read our published reports and open data without signing in",
        help_text=(
            "Only published material is ever shown: the published report versions, the plans they report on, "
            "published progress and published figures, with small district counts hidden. Drafts, submitted "
            "and returned items never appear."
        ),
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_seen(open_data_shown(partnership))

    def show_saved(self, current) -> None:
        """After a stale save (`csa_tracker.refusals.refuse_on_form`): the setting as saved now."""
        self.renew_seen(open_data_shown(current))
        self.saved_values = [(str(self.fields["public"].label), "Yes" if current.open_data_public else "No")]
